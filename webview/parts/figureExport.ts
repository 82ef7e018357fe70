/**
 * SVG exports of the panel's figures: the map as shown (axes, ticks, title, legend with the
 * fractions, minima, certified balls, the selected trajectory) and the charts (the selected
 * trajectory's loss, the LR sweep), drawn from the same chart configurations as the CLI's figures
 * (webview/lib/figures.ts) through the pure SVG context, then saved by the host.
 */
import type { Part } from '../core/part';
import { mapFigure, sweepFigure, trajectoryFigure } from '../lib/figures';
import type { PanelState } from '../state/types';
import { saveFigure } from '../widgets/figureFiles';
import type { FigureSpec } from '../../src/figures/spec';

const button = (id: string, label: string, aria: string): string => `
    <vscode-button id="${id}" secondary aria-label="${aria}">${label}</vscode-button>`;

export const figureExportPart: Part = {
  name: 'figure export',
  fragments: [
    { slot: 'toolbar', html: button('export-svg', 'SVG', 'Export the map with axes, title and legend as SVG') },
    { slot: 'trajectory-actions', html: button('export-trajectory-svg', 'Loss SVG', 'Export the loss curve of the charted trajectory as SVG') },
    { slot: 'sweep-actions', html: button('export-sweep-svg', 'Sweep SVG', 'Export the LR sweep chart as SVG') },
  ],
  mount(ctx) {
    const on = (id: string, build: (s: PanelState) => FigureSpec | null, name: string, missing: string): void => {
      ctx.el(id).addEventListener('click', () => {
        try {
          const spec = build(ctx.store.state);
          if (!spec) return ctx.dispatch({ type: 'noticeShown', message: missing });
          saveFigure((m) => ctx.post(m), spec, `${ctx.store.state.session?.title ?? 'gdlab'}-${name}`, 'svg');
        } catch (err) {
          ctx.dispatch({ type: 'errorShown', message: `SVG export failed: ${err instanceof Error ? err.message : String(err)}` });
        }
      });
    };
    on('export-svg', mapFigure, 'basin-map', 'Nothing to export yet: the map has not started.');
    // Export Results… → "Basin map … (SVG)": the host asks, the map's SVG goes back as a file to save
    ctx.onHostMessage((m) => {
      if (m.type === 'command' && m.command === 'captureSvg') ctx.el('export-svg').click();
    });
    on('export-trajectory-svg', trajectoryFigure, 'loss', 'No trajectory with a loss curve yet: click a pixel of the map first.');
    on('export-sweep-svg', sweepFigure, 'sweep', 'No sweep yet: press “LR sweep” first.');
  },
};
