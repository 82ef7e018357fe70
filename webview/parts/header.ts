/** The panel's title (the session), its objective, and the error box. */
import type { Part } from '../core/part';

export const headerPart: Part = {
  name: 'header',
  fragments: [
    {
      slot: 'header',
      html: `
  <h1 id="title">GD Stability Lab</h1>
  <div id="expression" class="mono muted" aria-label="Objective"></div>`,
    },
    { slot: 'alerts', html: '<div id="error-box" role="alert" hidden></div>' },
  ],
  mount(ctx) {
    const title = ctx.el('title');
    const expression = ctx.el('expression');
    const errorBox = ctx.el('error-box');
    ctx.watch((s) => s.session, (session) => {
      if (!session) return;
      title.textContent = session.title;
      expression.textContent = session.problem.expression;
    });
    ctx.watch((s) => s.error, (message) => {
      errorBox.hidden = message === null;
      errorBox.textContent = message ?? '';
    });
  },
};
