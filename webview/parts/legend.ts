/** Legend with live area fractions (lib/legend.ts says what), and the readout of the hovered pixel. */
import { MinimumCode, PixelClass } from '../../src/engine/types';
import type { Part } from '../core/part';
import { fmt } from '../lib/format';
import { CLASS_NAMES, legendRows } from '../lib/legend';
import type { LegendRow } from '../lib/legend';
import { axisNames } from '../state/selectors';
import { increaseLegendRows } from '../lib/increaseLayer';
import { optimizerCertifiedNote } from '../lib/optimizerMap';
import { describeOptimizer } from '../../src/engine/optimizers/spec';
import { DEFAULT_CLASSIFY } from '../../src/engine/classify';
import type { PanelState } from '../state/types';

/** While rows stream in, the fractions are recounted at most this often. */
const LIVE_LEGEND_MS = 120;

/** A colour bar with its caption, tick marks and tick labels (2/η emphasised). */
function scaleElement(r: Extract<LegendRow, { kind: 'scale' }>): HTMLElement {
  const box = document.createElement('div');
  box.className = 'legend-scale';
  box.setAttribute('role', 'img');
  box.setAttribute('aria-label', `${r.caption}: ${r.ticks.map((t) => t.label).join(', ')}`);
  const caption = document.createElement('div');
  caption.className = 'legend-note';
  caption.textContent = r.caption;
  const bar = document.createElement('div');
  bar.className = 'legend-bar';
  bar.style.background = r.gradient;
  const labels = document.createElement('div');
  labels.className = 'legend-ticks';
  for (const t of r.ticks) {
    const mark = document.createElement('span');
    mark.className = t.edge ? 'legend-tick edge' : 'legend-tick';
    mark.style.left = `${(100 * t.at).toFixed(2)}%`;
    bar.append(mark);
    const label = document.createElement('span');
    label.className = t.edge ? 'edge' : '';
    label.textContent = t.label;
    label.style.left = `${(100 * t.at).toFixed(2)}%`;
    label.style.transform = `translateX(-${(100 * t.at).toFixed(2)}%)`;
    labels.append(label);
  }
  box.append(caption, bar, labels);
  return box;
}

function rowElements(rows: LegendRow[]): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (const r of rows) {
    if (r.kind === 'scale') {
      out.push(scaleElement(r));
    } else if (r.kind === 'entry') {
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = r.color;
      const l = document.createElement('span');
      l.textContent = r.label;
      const v = document.createElement('span');
      v.textContent = r.value;
      out.push(sw, l, v);
    } else {
      const d = document.createElement('div');
      if (r.kind === 'bar') {
        d.className = 'legend-bar';
        d.style.background = r.gradient;
      } else {
        d.className = 'legend-note';
        d.textContent = r.text;
      }
      out.push(d);
    }
  }
  return out;
}

function hoverText(s: PanelState): string {
  const m = s.main?.map;
  const h = s.hover;
  if (!h || !m) return '';
  const [xn, yn] = axisNames(s);
  let text = `${xn} = ${fmt(h.x)}, ${yn} = ${fmt(h.y)}`;
  const i = h.row * m.width + h.col;
  if (m.rowFilled[h.row]) {
    const cls = m.classes[i];
    const mi = m.minimum[i];
    const to = mi >= 0 ? ` (min ${mi})` : mi === MinimumCode.Set ? ' (to a set of minima)' : mi === MinimumCode.Unlisted ? ' (to an unlisted minimum)' : '';
    text += ` — ${CLASS_NAMES[cls] ?? cls}${to}${cls === PixelClass.Cycle && m.period[i] > 0 ? ` of period ${m.period[i]}` : ''}, ${m.steps[i]} steps, K = ${m.unstableSteps[i]}`;
    const sharp = m.limitSharpness[i];
    if (Number.isFinite(sharp)) text += `; λ_max at the limit ${fmt(sharp)}${Number.isFinite(m.eta) ? ` (2/η = ${fmt(2 / m.eta)})` : ''}`;
    text += `, ${m.increases[i]} loss increase${m.increases[i] === 1 ? '' : 's'}`;
  }
  return text;
}

export const legendPart: Part = {
  name: 'legend',
  fragments: [{
    slot: 'side',
    html: `
    <h2>Legend</h2>
    <div id="legend" aria-label="Legend with area fractions"></div>
    <div id="hover-readout" aria-live="off"></div>`,
  }],
  mount(ctx) {
    const legend = ctx.el('legend');
    const readout = ctx.el('hover-readout');
    const render = (): void => {
      const s = ctx.store.state;
      legend.replaceChildren(...rowElements(legendRows({
        map: s.main?.map ?? null,
        minimaCount: s.analysis?.minima.length ?? 0,
        layer: s.display.layer,
        scheme: s.display.scheme,
        done: s.main?.done ?? false,
        certified: s.main?.certificates.filter((c) => c.ok).length ?? 0,
        hasObjective: s.objective !== null,
        ...(s.session ? { stepLimit: { maxSteps: s.session.maxSteps, source: s.session.sourceUri ? 'config' as const : 'setting' as const } } : {}),
        ...(s.analysis?.definedness ? { definedness: s.analysis.definedness } : {}),
        ...(s.main?.optimizerAnalysis ? { certifiedNote: optimizerCertifiedNote(s.main.optimizerAnalysis, s.analysis?.minima.length ?? 0) } : {}),
        extraRows: increaseLegendRows({
          layer: s.display.layer === 'increases',
          map: s.main?.map ?? null,
          stats: s.main?.done ? s.main.increases : null,
          guard: s.session?.roundoffGuard ?? DEFAULT_CLASSIFY.roundoffGuard,
          optimizerLabel: s.main && s.main.optimizer.name !== 'gd' ? describeOptimizer(s.main.optimizer) : null,
        }),
      })));
    };
    ctx.watch((s) => [
      s.main?.map ?? null, s.main?.done ?? false, s.main?.certificates ?? null, s.analysis?.minima.length ?? 0,
      s.main?.optimizerAnalysis ?? null, s.main?.increases ?? null,
      s.display.layer, s.display.scheme, s.objective !== null, s.session, s.analysis?.definedness,
    ], render);
    let timer = 0;
    ctx.watch((s) => s.main?.revision ?? 0, () => {
      if (timer) return;
      timer = window.setTimeout(() => {
        timer = 0;
        render();
      }, LIVE_LEGEND_MS);
    });
    ctx.watch((s) => [s.hover, s.main?.map ?? null, s.analysis] as const, () => {
      readout.textContent = hoverText(ctx.store.state);
    });
  },
};
