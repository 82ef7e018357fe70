/**
 * Exports: the map as PNG (as shown) or .npy, the charted trajectory and the sweep as CSV/JSON.
 * The host writes the files; this part sends what only the webview has (the PNG, which trajectory)
 * and answers the host's PNG capture (the Export Results… command).
 */
import type { ExportFormat } from '../../src/shared/protocol';
import type { Part } from '../core/part';
import { selectedTrajectory } from '../state/selectors';

const button = (id: string, label: string, aria?: string): string =>
  `
    <vscode-button id="${id}" secondary${aria ? ` aria-label="${aria}"` : ''}>${label}</vscode-button>`;

export const exportPart: Part = {
  name: 'export',
  fragments: [
    { slot: 'toolbar', html: button('export-png', 'PNG', 'Export the map as PNG') + button('export-npy', '.npy', 'Export the class map as .npy') },
    { slot: 'trajectory-actions', html: button('export-trajectory-csv', 'Trajectory CSV') + button('export-trajectory-json', 'Trajectory JSON') },
    { slot: 'sweep-actions', html: button('export-sweep-csv', 'Sweep CSV') + button('export-sweep-json', 'Sweep JSON') },
  ],
  mount(ctx) {
    const on = (id: string, send: () => void): void => ctx.el(id).addEventListener('click', send);
    const simple = (format: ExportFormat) => () => ctx.post({ type: 'export', format, pngBase64: null });
    const trajectory = (format: ExportFormat) => () => ctx.post({
      type: 'export', format, pngBase64: null, trajectoryRequestId: selectedTrajectory(ctx.store.state)?.requestId ?? null,
    });
    on('export-png', () => ctx.post({ type: 'export', format: 'png', pngBase64: ctx.use('mapPng')() }));
    on('export-npy', simple('npy'));
    on('export-trajectory-csv', trajectory('trajectory-csv'));
    on('export-trajectory-json', trajectory('trajectory-json'));
    on('export-sweep-csv', simple('sweep-csv'));
    on('export-sweep-json', simple('sweep-json'));
    ctx.onHostMessage((m) => {
      if (m.type === 'command' && m.command === 'capturePng') ctx.post({ type: 'pngData', requestId: m.requestId, pngBase64: ctx.use('mapPng')() });
    });
  },
};
