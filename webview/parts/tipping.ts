/**
 * The tipping view: η₁ is the current η, the user picks η₂ and compares; the class transition
 * matrix as a table (% of all starts), the map of which starts change class (coloured by the
 * change), and exports (CSV / JSON / .npy from the host, PNG / SVG figures drawn here).
 */
import { mapFigureSpec } from '../../src/figures/mapFigure';
import type { FigureSpec } from '../../src/figures/spec';
import type { Part } from '../core/part';
import type { ValueElement } from '../core/dom';
import { fmt, pct } from '../lib/format';
import { transitionPicture, transitionTable } from '../lib/tipping';
import { axisNames } from '../state/selectors';
import { defaultEta2, tippingSlice, type TippingJob } from '../state/tipping';
import { saveFigure } from '../widgets/figureFiles';

const button = (id: string, label: string, aria: string): string => `
    <vscode-button id="${id}" secondary aria-label="${aria}">${label}</vscode-button>`;

function status(j: TippingJob | null): string {
  if (!j) return '';
  const what = `η₁ = ${fmt(j.eta1)} → η₂ = ${fmt(j.eta2)}, ${j.grid}×${j.grid} starts`;
  switch (j.status) {
    case 'running': return `— ${what}: computing both maps…`;
    case 'failed': return `— ${j.error ?? 'failed'}`;
    case 'cancelled': return '— cancelled';
    case 'done': return `— ${what}: ${pct(j.result?.classes.changed ?? 0)} of the starts change class`;
  }
}

export const tippingPart: Part = {
  name: 'tipping',
  fragments: [
    { slot: 'toolbar', html: button('tipping-button', 'Tipping', 'Which starts change class between the current η and another') },
    {
      slot: 'below',
      html: `
<section id="tipping-section" aria-label="Tipping between two learning rates" data-role="tipping-section" hidden>
  <h2>Tipping η₁ → η₂ <span id="tipping-status" class="muted"></span></h2>
  <div class="row">
    <label for="tipping-eta2">η₂</label>
    <vscode-textfield id="tipping-eta2" aria-label="Second learning rate η₂"></vscode-textfield>
    <vscode-button id="tipping-compare" aria-label="Compare the maps at η₁ (the current η) and η₂">Compare</vscode-button>
  </div>
  <table id="tipping-table" aria-label="Fractions of all starts by class at η₁ (rows) and at η₂ (columns)"></table>
  <div class="tipping-body">
    <canvas id="tipping-canvas" role="img" aria-label="Map of the starts that change class"></canvas>
    <div id="tipping-legend"></div>
  </div>
  <div class="row"><!--slot:tipping-actions-->${button('tipping-csv', 'Tipping CSV', 'Export the transition matrices as CSV')}${button('tipping-json', 'Tipping JSON', 'Export the matrices and the per-pixel transitions as JSON')}${button('tipping-npy', 'Tipping .npy', 'Export the per-pixel transitions as .npy')}${button('tipping-png', 'Tipping PNG', 'Export the transition map figure as PNG')}${button('tipping-svg', 'Tipping SVG', 'Export the transition map figure as SVG')}
  </div>
</section>`,
    },
  ],
  mount(ctx) {
    const tipping = ctx.store.addSlice(tippingSlice);
    const section = ctx.el('tipping-section');
    const field = ctx.el<ValueElement>('tipping-eta2');
    const table = ctx.el('tipping-table');
    const canvas = ctx.el<HTMLCanvasElement>('tipping-canvas');
    const legend = ctx.el('tipping-legend');
    const statusLine = ctx.el('tipping-status');
    const compare = (): void => {
      const eta2 = Number(field.value);
      field.invalid = !(eta2 > 0 && Number.isFinite(eta2));
      if (!field.invalid) tipping.dispatch({ type: 'tippingRequested', eta2 });
    };
    ctx.el('tipping-button').addEventListener('click', () => {
      if (!field.value) field.value = String(defaultEta2(ctx.store.state));
      tipping.dispatch({ type: 'tippingOpened' });
    });
    ctx.el('tipping-compare').addEventListener('click', compare);
    field.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') compare();
    });
    for (const f of ['csv', 'json', 'npy'] as const) ctx.el(`tipping-${f}`).addEventListener('click', () => ctx.post({ type: 'measureExport', format: `tipping-${f}` }));
    const figure = (): FigureSpec | null => {
      const j = tipping.get().job;
      if (!j?.result || !j.transitions) return null;
      const pic = transitionPicture(j.result, j.transitions);
      const [xn, yn] = axisNames(ctx.store.state);
      return mapFigureSpec({
        title: `Tipping from η₁ = ${fmt(j.eta1)} to η₂ = ${fmt(j.eta2)}: ${pct(j.result.classes.changed)} of the starts change class`,
        notes: [`f = ${ctx.store.state.analysis?.normalized ?? ''}`, `${j.grid}×${j.grid} starts, each classified at both learning rates`],
        xRange: j.window.xRange, yRange: j.window.yRange, xLabel: xn, yLabel: yn,
        image: { width: j.result.width, height: j.result.height, rgba: pic.rgba },
        legend: pic.legend.map((e) => ({ label: e.label, color: e.color, value: pct(e.fraction) })),
      }, { pixelRatio: 1 });
    };
    for (const format of ['png', 'svg'] as const) {
      ctx.el(`tipping-${format}`).addEventListener('click', () => {
        const spec = figure();
        if (!spec) return ctx.dispatch({ type: 'noticeShown', message: 'No tipping comparison yet: press “Compare” first.' });
        saveFigure((m) => ctx.post(m), spec, 'tipping', format);
      });
    }
    tipping.watch((st) => [st.open, st.job] as const, ([open, j]) => {
      section.hidden = !open;
      statusLine.textContent = status(j);
      if (!j?.result || !j.transitions) {
        table.replaceChildren();
        legend.replaceChildren();
        canvas.width = canvas.height = 0;
        return;
      }
      const t = transitionTable(j.result);
      const head = document.createElement('tr');
      head.append(...['η₁ \\ η₂', ...t.columns].map((c) => Object.assign(document.createElement('th'), { textContent: c })));
      table.replaceChildren(head, ...t.rows.map((r) => {
        const tr = document.createElement('tr');
        tr.append(Object.assign(document.createElement('th'), { textContent: r.label }), ...r.cells.map((c) => Object.assign(document.createElement('td'), { textContent: c })));
        return tr;
      }));
      const pic = transitionPicture(j.result, j.transitions);
      canvas.width = j.result.width;
      canvas.height = j.result.height;
      canvas.getContext('2d')?.putImageData(new ImageData(Uint8ClampedArray.from(pic.rgba), j.result.width, j.result.height), 0, 0);
      legend.replaceChildren(...pic.legend.flatMap((e) => {
        const sw = document.createElement('span');
        sw.className = 'swatch';
        sw.style.background = e.color;
        return [sw, Object.assign(document.createElement('span'), { textContent: e.label }), Object.assign(document.createElement('span'), { textContent: pct(e.fraction) })];
      }));
    });
  },
};
