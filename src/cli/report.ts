/**
 * What `gdlab reproduce` reports besides the figures: the check of the paper's statements about
 * Figure 2 (from the computed fractions), summary.md, and a self-contained report.html (every
 * figure inlined as a data: URI, a column per outcome class, the sweep chart per function; no
 * network, no script).
 */
import type { SweepPoint } from '../engine/sweep';
import { cssColor, type ClassStyle } from '../figures/classes';
import { sweepSpec } from '../figures/sweep';
import { FIGURE2_FRACTIONS, FIGURE3 } from '../engine/paper';
import { renderFigure } from './figureRender';

export interface MapRow {
  function: string;
  expression: string;
  domain: [[number, number], [number, number]];
  eta: number;
  etaFraction: number;
  etaMax: number;
  paperEtaMax: number;
  stable: number;
  unstable: number;
  diverged: number;
  notConverged: number;
  other: number;
  /** fraction per class code (index = code), every class of the class list */
  classFractions: number[];
  unstableShareOfConverging: number;
  certifiedRadius: number | null;
  certificateNote: string | null;
  png: string;
  seconds: number;
}

export interface TrajectorySummary {
  label: string;
  init: number[];
  outcome: string;
  K: number;
  increases: number;
  firstIncreaseAt: number | null;
  enteredCertifiedAt: number | null;
  /** the engine's steps: the index of the iterate at which the outcome was decided */
  steps: number;
  /** iterates drawn after the decision */
  tail: number;
  finalPoint: number[];
  finalLoss: number;
  /** f(θ_k) − f(θ*) per step */
  gap: number[];
}

/**
 * The paper's statements on Figure 2, checked on the computed maps: (1) at the smallest learning
 * rate every start in the f1 and f2 windows converges stably; (2) in every row the share of the
 * converging starts that converge unstably, |V_η \ U_η| / |V_η|, grows with η (never falls, and is
 * larger at the largest η than at the smallest).
 */
export interface PaperClaims {
  allStableAtSmallestEta: { etaFraction: number; rows: { function: string; stable: number; holds: boolean }[]; holds: boolean };
  unstableShareGrows: { measure: string; etaFractions: number[]; rows: { function: string; shares: number[]; unstable: number[]; holds: boolean }[]; holds: boolean };
  holds: boolean;
}

export function paperClaims(rows: readonly MapRow[]): PaperClaims {
  const smallest = Math.min(...FIGURE2_FRACTIONS);
  const first = ['f1', 'f2'].map((id) => {
    const r = rows.find((x) => x.function === id && x.etaFraction === smallest);
    const stable = r ? r.stable : NaN;
    return { function: id, stable, holds: stable === 1 };
  });
  const ids = [...new Set(rows.map((r) => r.function))];
  const grows = ids.map((id) => {
    const rs = rows.filter((r) => r.function === id).sort((a, b) => a.etaFraction - b.etaFraction);
    const shares = rs.map((r) => r.unstableShareOfConverging);
    const holds = shares.every((s, i) => i === 0 || s >= shares[i - 1]) && shares[shares.length - 1] > shares[0];
    return { function: id, shares, unstable: rs.map((r) => r.unstable), holds };
  });
  const a = { etaFraction: smallest, rows: first, holds: first.every((r) => r.holds) };
  const b = { measure: 'unstable / (stable + unstable)', etaFractions: [...FIGURE2_FRACTIONS], rows: grows, holds: grows.every((r) => r.holds) };
  return { allStableAtSmallestEta: a, unstableShareGrows: b, holds: a.holds && b.holds };
}

function pct(v: number): string {
  return `${(100 * v).toFixed(1)}%`;
}

function yes(v: boolean): string {
  return v ? 'holds' : 'does NOT hold';
}

export function markdownSummary(rows: MapRow[], trajectories: TrajectorySummary[], claims: PaperClaims, classes: ClassStyle[], seconds: number, grid: number, workers: number): string {
  const classCols = classes.map((c) => c.label);
  const lines = [
    `# Reproduction of Figures 2 and 3`,
    '',
    `Grid ${grid}×${grid}, ${workers} worker(s), ${seconds.toFixed(1)} s in all.`,
    '',
    `| function | window | η | η/η_max | η_max (computed / paper) | ${classCols.join(' | ')} | unstable share of converging | certified radius t′ |`,
    `|---|---|---|---|---|${classCols.map(() => '---|').join('')}---|---|`,
    ...rows.map((r) =>
      `| ${r.function} | ${JSON.stringify(r.domain)} | ${r.eta.toPrecision(4)} | ${r.etaFraction.toFixed(2)} | ${r.etaMax.toPrecision(6)} / ${r.paperEtaMax.toPrecision(6)} | ${classes.map((c) => pct(r.classFractions[c.code] ?? 0)).join(' | ')} | ${pct(r.unstableShareOfConverging)} | ${r.certifiedRadius === null ? `— (${r.certificateNote ?? 'none'})` : r.certifiedRadius.toPrecision(3)} |`,
    ),
    '',
    'The paper\'s statements on Figure 2, checked on these maps:',
    '',
    `- at η = ${claims.allStableAtSmallestEta.etaFraction}·η_max every start converges stably: ${claims.allStableAtSmallestEta.rows.map((r) => `${r.function} ${pct(r.stable)} stable`).join(', ')} — ${yes(claims.allStableAtSmallestEta.holds)};`,
    `- the unstable share of the converging starts grows with η: ${claims.unstableShareGrows.rows.map((r) => `${r.function} ${r.shares.map(pct).join(' → ')}`).join('; ')} — ${yes(claims.unstableShareGrows.holds)}.`,
    '',
    `Figure 3 (f4, η = ${FIGURE3.eta}):`,
    '',
    '| start | outcome | K (last loss increase) | loss increases | in certified region from step | steps (decided at) | iterates drawn | final point | final loss |',
    '|---|---|---|---|---|---|---|---|---|',
    ...trajectories.map((t) => `| (${t.init.join(', ')}) | ${t.outcome} | ${t.K} | ${t.increases} | ${t.enteredCertifiedAt ?? '—'} | ${t.steps} | ${t.steps + t.tail + 1} | (${t.finalPoint.map((v) => v.toFixed(5)).join(', ')}) | ${t.finalLoss.toPrecision(6)} |`),
    '',
  ];
  return lines.join('\n');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function dataUri(mime: string, bytes: Uint8Array): string {
  return `data:${mime};base64,${Buffer.from(bytes).toString('base64')}`;
}

export interface ReportInput {
  rows: MapRow[];
  trajectories: TrajectorySummary[];
  claims: PaperClaims;
  classes: ClassStyle[];
  grid: number;
  seconds: number;
  /** rendered figures by file name (figure2.svg, figure3.svg, …) */
  figures: Record<string, Uint8Array>;
  sweeps: Map<string, SweepPoint[]>;
  sweepGrid: number;
}

export function reportHtml(input: ReportInput): string {
  const { rows, classes, claims } = input;
  const figure = (name: string, alt: string) => `<img class="figure" src="${dataUri('image/svg+xml', input.figures[`${name}.svg`])}" alt="${escapeHtml(alt)}">`;
  const sweeps = [...input.sweeps.entries()]
    .map(([id, points]) => {
      const svg = renderFigure(sweepSpec(`${id}: fractions of starts over η/η_max (${input.sweepGrid}² grid)`, points, classes), 'svg');
      return `<img class="sweep" src="${dataUri('image/svg+xml', svg)}" alt="${escapeHtml(`${id} learning-rate sweep`)}">`;
    })
    .join('\n');
  const head = `<tr><th>f</th><th>window</th><th>η</th><th>η/η_max</th>${classes.map((c) => `<th><span class="sw" style="background:${cssColor(c.color)}"></span>${escapeHtml(c.label)}</th>`).join('')}<th>unstable share of converging</th><th>t′</th></tr>`;
  const body = rows
    .map((r) => `<tr><td>${r.function}</td><td>${escapeHtml(JSON.stringify(r.domain))}</td><td>${r.eta.toPrecision(4)}</td><td>${r.etaFraction}</td>${classes.map((c) => `<td>${pct(r.classFractions[c.code] ?? 0)}</td>`).join('')}<td>${pct(r.unstableShareOfConverging)}</td><td>${r.certifiedRadius === null ? '—' : r.certifiedRadius.toPrecision(3)}</td></tr>`)
    .join('\n');
  const traj = input.trajectories
    .map((t) => `<li>start (${t.init.join(', ')}): ${escapeHtml(t.outcome)}, K = ${t.K} (the step of the last loss increase), ${t.increases} loss increase(s), decided at step ${t.steps} (in the certified region from step ${t.enteredCertifiedAt ?? '—'}), ${t.steps + t.tail + 1} iterates drawn</li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>GD Stability Lab — reproduction of Figures 2 and 3</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;max-width:1500px}img.figure{max-width:100%;height:auto;border:1px solid #ddd}
.sweeps{display:flex;flex-wrap:wrap;gap:8px}img.sweep{width:560px;max-width:100%}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 7px;text-align:right}th{background:#f4f4f4}
.sw{display:inline-block;width:11px;height:11px;margin-right:4px;border:1px solid #000;vertical-align:middle}</style></head>
<body>
<h1>On the Unstable Convergence Regime of Gradient Descent — Figures 2 and 3, recomputed</h1>
<p>Grid ${input.grid}×${input.grid}, ${input.seconds.toFixed(1)} s. Vector versions beside this file: figure2.svg, figure2.pdf, figure3.svg, figure3.pdf.</p>
<h2>Figure 2</h2>
${figure('figure2', 'Figure 2: landscapes and basin maps of f1–f4 at five learning rates')}
<p>Checked on these maps: at ${claims.allStableAtSmallestEta.etaFraction}·η_max every start converges stably (${claims.allStableAtSmallestEta.rows.map((r) => `${r.function}: ${pct(r.stable)}`).join(', ')}) — ${yes(claims.allStableAtSmallestEta.holds)}; the unstable share of converging starts grows with η in every row — ${yes(claims.unstableShareGrows.holds)}.</p>
<h2>Figure 3 — f4, η = ${FIGURE3.eta}</h2>
${figure('figure3', 'Figure 3: trajectories on the f4 basin map and their loss curves')}
<ul>${traj}</ul>
<h2>Learning-rate sweeps</h2>
<div class="sweeps">${sweeps}</div>
<h2>Fractions per class</h2>
<table>${head}
${body}</table>
</body></html>
`;
}
