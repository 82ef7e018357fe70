/** Status line, progress bar and Cancel (the main map's job), and the notice line below them. */
import type { Part } from '../core/part';

export const statusPart: Part = {
  name: 'status',
  fragments: [{
    slot: 'status',
    html: `
<div id="progress-row">
  <vscode-progress-bar id="progress" aria-label="Computation progress" hidden></vscode-progress-bar>
  <span id="status" role="status" aria-live="polite">Waiting for the extension…</span>
  <vscode-button id="cancel-button" secondary hidden aria-label="Cancel the computation">Cancel</vscode-button>
</div>
<div id="notice" role="status" aria-live="polite"></div>`,
  }],
  mount(ctx) {
    const progress = ctx.el<HTMLElement & { value?: number }>('progress');
    const status = ctx.el('status');
    const cancel = ctx.el('cancel-button');
    const notice = ctx.el('notice');
    cancel.addEventListener('click', () => ctx.post({ type: 'cancel', requestId: null }));
    ctx.watch((s) => s.status, (st) => {
      status.textContent = st.text;
      progress.hidden = !st.progressVisible;
      progress.value = st.progress;
      cancel.hidden = !st.cancelVisible;
    });
    ctx.watch((s) => s.notice, (text) => {
      notice.textContent = text;
    });
  },
};
