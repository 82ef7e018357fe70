/**
 * Export text of the dynamics measures (pure; used by the CLI, and by the panel host when it
 * exports them): orbit diagrams and tipping matrices as CSV and JSON. Non-finite numbers become
 * empty CSV cells / JSON null.
 */
import type { OrbitDiagram } from '../engine/measures/orbit';
import type { Tipping, TransitionMatrix } from '../engine/measures/tipping';

function cell(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '' : String(v);
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/**
 * One row per recorded iterate: start, η, η/reference, the orbit's summary (status, period,
 * minimum, Lyapunov exponent: empty when diverged, -inf when the tangent vector vanished), the
 * step k and the recorded channels (loss, coordinates).
 */
export function orbitCsv(d: OrbitDiagram, etaReference: number | null): string {
  const S = d.starts.length;
  const C = d.channels.length;
  const keep = d.options.keep;
  const lines = [['start', 'eta', 'eta_fraction', 'status', 'period', 'minimum', 'lyapunov', 'k', ...d.channels].join(',')];
  for (let e = 0; e < d.etas.length; e++) {
    for (let s = 0; s < S; s++) {
      const p = d.points[e * S + s];
      const lyapunov = p.lyapunov === -Infinity ? '-inf' : cell(p.lyapunov);
      const head = [String(s), cell(d.etas[e]), cell(etaReference ? d.etas[e] / etaReference : NaN), p.status, String(p.period), String(p.minimum), lyapunov].join(',');
      const base = (e * S + s) * keep * C;
      for (let k = 0; k < keep; k++) {
        const row = Array.from({ length: C }, (_, c) => cell(d.values[base + k * C + c]));
        lines.push(`${head},${d.options.transient + k},${row.join(',')}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}

/** The diagram with one object per (η, start) holding its summary and recorded values per channel. */
export function orbitJson(d: OrbitDiagram, etaReference: number | null, extra: Record<string, unknown> = {}): string {
  const S = d.starts.length;
  const C = d.channels.length;
  const keep = d.options.keep;
  const orbits = d.points.map((p, i) => {
    const base = i * keep * C;
    const values: Record<string, (number | null)[]> = {};
    d.channels.forEach((name, c) => {
      values[name] = Array.from({ length: keep }, (_, k) => finite(d.values[base + k * C + c]));
    });
    return {
      eta: p.eta,
      etaFraction: etaReference ? p.eta / etaReference : null,
      start: p.start,
      status: p.status,
      period: p.period,
      minimum: p.minimum,
      lyapunov: finite(p.lyapunov),
      divergedAt: p.divergedAt >= 0 ? p.divergedAt : null,
      final: p.final.map(finite),
      values,
    };
  });
  return JSON.stringify({
    ...extra,
    variables: d.variables,
    starts: d.starts,
    etaReference,
    options: d.options,
    channels: d.channels,
    firstStep: d.options.transient,
    minima: d.minima,
    firstNonConvergent: d.firstNonConvergent,
    layout: `orbits[i] is learning rate i div ${S}, start i mod ${S}; values[channel][k] is iterate firstStep + k; lyapunov null: diverged, or −∞ (the tangent vector vanished)`,
    orbits,
  }) + '\n';
}

function matrixRows(partition: string, m: TransitionMatrix): string[] {
  const rows: string[] = [];
  m.labels.forEach((from, a) => {
    m.labels.forEach((to, b) => {
      rows.push([partition, JSON.stringify(from), JSON.stringify(to), String(m.counts[a][b]), cell(m.fractions[a][b]), cell(m.rowFractions[a][b])].join(','));
    });
  });
  return rows;
}

/** Long format: one row per (partition, from, to) with the count, the fraction of all starts and of the row. */
export function tippingCsv(t: Tipping): string {
  return [
    'partition,from,to,count,fraction,row_fraction',
    ...matrixRows('class', t.classes),
    ...matrixRows('attractor', t.attractors),
  ].join('\n') + '\n';
}

/** Everything, with the per-pixel transitions as an array (row-major, row 0 = largest y). */
export function tippingJson(t: Tipping, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    ...extra,
    eta1: t.eta1,
    eta2: t.eta2,
    width: t.width,
    height: t.height,
    total: t.total,
    classes: t.classes,
    attractors: t.attractors,
    codeCount: t.codeCount,
    transitionsLayout: `row-major, row 0 = largest y; value = code at η₁ × ${t.codeCount} + code at η₂`,
    transitions: Array.from(t.transitions),
  }) + '\n';
}

/** The class matrix as an aligned text table (rows: class at η₁, columns: class at η₂, % of all starts). */
export function tippingTable(t: Tipping): string {
  const m = t.classes;
  const used = m.labels.map((_, i) => i).filter((i) => m.counts[i].some((c) => c > 0) || m.counts.some((row) => row[i] > 0));
  const width = Math.max(14, ...used.map((i) => m.labels[i].length + 1));
  const head = `${'η₁ \\ η₂'.padEnd(width)}${used.map((i) => m.labels[i].padStart(width)).join('')}`;
  const rows = used.map((a) => `${m.labels[a].padEnd(width)}${used.map((b) => `${(100 * m.fractions[a][b]).toFixed(2)}%`.padStart(width)).join('')}`);
  return [head, ...rows].join('\n') + '\n';
}
