/** The minima found: point, f, λ_max and η_max of each (the panel's optimizer's: 2/λ_max for GD, 2(1+β)/λ_max for heavy-ball, …). */
import type { Part } from '../core/part';
import { listItem } from '../core/dom';
import { fmt } from '../lib/format';
import { minimumThresholdText } from '../lib/optimizerMap';

export const minimaPart: Part = {
  name: 'minima',
  fragments: [{
    slot: 'side',
    html: `
    <h2>Minima</h2>
    <ol id="minima-list" start="0" aria-label="Minima"></ol>`,
  }],
  mount(ctx) {
    const list = ctx.el('minima-list');
    ctx.watch((s) => [s.analysis, s.optimizer] as const, ([a, optimizer]) => {
      if (!a) return;
      const items = a.minima.map((m) => listItem(
        `(${m.point.map((v) => fmt(v)).join(', ')}): f = ${fmt(m.value)}, λ_max = ${fmt(m.lambdaMax)}, ${minimumThresholdText(m.lambdaMax, optimizer)}${m.outside ? ' — outside the window (descent from it leads there)' : ''}`,
      ));
      if (items.length === 0) {
        const set = a.criticalPoints.some((p) => p.kind === 'degenerate' && p.semidefinite);
        items.push(listItem(set
          ? 'No strict minimum found, but degenerate critical points with no negative curvature (a set of minima, e.g. a curve): starts can converge onto it; the legend gives their share.'
          : 'No strict minimum found in the domain: every start is diverged, not converged or other.'));
      }
      list.replaceChildren(...items);
    });
  },
};
