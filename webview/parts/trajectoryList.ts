/** The trajectories' list: a config's starts and the clicked pixel, each with its outcome; click to chart one. */
import { MinimumCode } from '../../src/engine/types';
import type { Part } from '../core/part';
import { listItem } from '../core/dom';
import { fmt } from '../lib/format';
import type { AnalysisView } from '../../src/shared/protocol';
import type { TrajectoryEntry } from '../state/types';

export function describeTrajectory(t: TrajectoryEntry, a: AnalysisView | null): string {
  const coords = a ? a.axes.map((i) => fmt(t.init[i], 3)).join(', ') : t.init.map((v) => fmt(v, 3)).join(', ');
  if (t.error) return `(${coords}): ${t.error}`;
  if (!t.data) return `(${coords}): computing…`;
  const d = t.data;
  const m = d.minimum;
  const where = m === null ? '' : m >= 0 ? ` → min ${m}` : m === MinimumCode.Set ? ' → set of minima' : m === MinimumCode.Unlisted ? ' → unlisted minimum' : '';
  const outcome = d.outcome === 'cycle' && d.period ? `cycle of period ${d.period}` : d.outcome === 'descending' ? 'still descending' : d.outcome.replace('_', ' ');
  return `(${coords}): ${outcome}${where}, K = ${d.K}, ${d.increases} increase${d.increases === 1 ? '' : 's'}, ${d.steps} steps`;
}

export const trajectoryListPart: Part = {
  name: 'trajectory list',
  fragments: [{
    slot: 'side',
    html: `
    <h2>Trajectories</h2>
    <ul id="trajectory-list" aria-label="Trajectories"></ul>`,
  }],
  mount(ctx) {
    const list = ctx.el('trajectory-list');
    ctx.watch((s) => [s.trajectories.entries, s.trajectories.selected, s.analysis] as const, ([entries, selected, analysis]) => {
      const items = entries.map((t, i) => {
        const li = document.createElement('li');
        li.setAttribute('aria-current', String(i === selected));
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = `${t.source === 'config' ? 'start ' : 'clicked '}${describeTrajectory(t, analysis)}`;
        b.addEventListener('click', () => ctx.dispatch({ type: 'trajectorySelected', index: i }));
        li.append(b);
        return li;
      });
      if (items.length === 0) items.push(listItem('Click the map to run GD from a pixel.', 'muted'));
      list.replaceChildren(...items);
    });
  },
};
