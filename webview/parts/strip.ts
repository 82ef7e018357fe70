/**
 * Figure 2's strip: small maps side by side at the paper's fractions of η_max; click one to use
 * its η. Its state is a view slice (state/strip.ts) registered here.
 */
import type { Part } from '../core/part';
import { renderMap } from '../lib/colors';
import type { ColorScheme, MapLayer } from '../lib/colors';
import { fmt } from '../lib/format';
import { stripSlice } from '../state/strip';
import type { StripEntry } from '../state/strip';

function draw(canvas: HTMLCanvasElement, entry: StripEntry, layer: MapLayer, scheme: ColorScheme): void {
  if (!entry.map) return;
  const { width, height } = entry.map;
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = new ImageData(width, height);
  renderMap(entry.map, layer, scheme, img.data);
  ctx.putImageData(img, 0, 0);
}

export const stripPart: Part = {
  name: 'Figure 2 strip',
  fragments: [
    { slot: 'toolbar', html: `
    <vscode-button id="strip-button" secondary aria-label="Show Figure 2's five learning rates side by side">Figure 2 strip</vscode-button>` },
    {
      slot: 'below',
      // after the trajectory and sweep sections, while its button sits before the sweep's
      order: 1,
      html: `
<section id="strip-section" aria-label="Figure 2 strip" hidden>
  <h2>Figure 2: learning rates side by side <span class="muted">(click one to use its η)</span></h2>
  <div id="strip"></div>
</section>`,
    },
  ],
  mount(ctx) {
    const strip = ctx.store.addSlice(stripSlice);
    const section = ctx.el('strip-section');
    const container = ctx.el('strip');
    ctx.el('strip-button').addEventListener('click', () => ctx.dispatch({ type: 'stripRequested' }));
    let figures: { figure: HTMLElement; canvas: HTMLCanvasElement }[] = [];
    const isCurrent = (e: StripEntry): boolean => Math.abs(e.eta - ctx.store.state.eta) < 1e-12;

    // a run (or a re-run for a new window) builds the figures; a new session empties the strip
    strip.watch((st) => st.entries.map((e) => e.requestId), () => {
      const entries = strip.get().entries;
      section.hidden = entries.length === 0;
      figures = entries.map((e, i) => {
        const figure = document.createElement('figure');
        figure.className = 'strip-item';
        figure.tabIndex = 0;
        figure.setAttribute('role', 'button');
        const share = Number.isFinite(e.fraction) ? ` (${fmt(e.fraction, 3)} η_max)` : '';
        figure.setAttribute('aria-label', `Map at η = ${fmt(e.eta)}${share}; activate to use this η`);
        figure.setAttribute('aria-current', String(isCurrent(e)));
        const canvas = document.createElement('canvas');
        canvas.id = `strip-canvas-${i}`;
        const caption = document.createElement('figcaption');
        caption.textContent = `η = ${fmt(e.eta)}${share}`;
        figure.append(canvas, caption);
        const choose = (): void => ctx.dispatch({ type: 'etaSet', eta: e.eta, fromSlider: false });
        figure.addEventListener('click', choose);
        figure.addEventListener('keydown', (ev) => {
          if (ev.key === 'Enter' || ev.key === ' ') {
            ev.preventDefault();
            choose();
          }
        });
        return { figure, canvas };
      });
      container.replaceChildren(...figures.map((f) => f.figure));
    });
    // pixels: the entries whose rows arrived, or all of them for a new layer / colour scheme
    strip.watch((st, root) => ({ revisions: st.entries.map((e) => e.revision).join(), layer: root.display.layer, scheme: root.display.scheme }), (now, before) => {
      const changed = before?.revisions.split(',');
      const restyle = !before || now.layer !== before.layer || now.scheme !== before.scheme;
      strip.get().entries.forEach((e, i) => {
        const f = figures[i];
        if (f && (restyle || changed?.[i] !== String(e.revision))) draw(f.canvas, e, now.layer, now.scheme);
      });
    });
    ctx.watch((s) => s.eta, () => {
      strip.get().entries.forEach((e, i) => figures[i]?.figure.setAttribute('aria-current', String(isCurrent(e))));
    });
  },
};
