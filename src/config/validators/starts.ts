/** "starts": initializations whose trajectories are drawn. */
import type { Box } from '../../engine/types';
import { CONFIG_LIMITS } from '../configTypes';
import { describe, isFiniteNumber, type KeyValidator } from './context';

export const startsValidator: KeyValidator<'starts'> = {
  keys: ['starts'],
  aliases: { start: 'starts', init: 'starts', inits: 'starts', initial: 'starts', initialpoints: 'starts', x0: 'starts', theta0: 'starts', points: 'starts' },
  validate(ctx) {
    const entry = ctx.get('starts');
    if (!entry) return;
    const v = entry.value;
    if (v.kind !== 'array') {
      ctx.err(v.range, `"starts" must be a list of points, e.g. [[0.1, 2.5], [1.5, 2]] (found ${describe(v)})`, 'starts');
      return;
    }
    const variables = ctx.variables;
    if (v.items.length > CONFIG_LIMITS.maxStarts) ctx.warn(v.range, `only the first ${CONFIG_LIMITS.maxStarts} starts are drawn`, 'starts');
    for (const item of v.items.slice(0, CONFIG_LIMITS.maxStarts)) {
      if (item.kind !== 'array' || !item.items.every(isFiniteNumber)) {
        ctx.err(item.range, `a start must be a point given as a list of numbers, e.g. [0.1, 2.5] (found ${describe(item)})`, 'starts');
        continue;
      }
      const point = item.items.map((it) => (it as { value: number }).value);
      if (variables && point.length !== variables.length) {
        ctx.err(item.range, `a start needs ${variables.length} coordinates (${variables.join(', ')}); found ${point.length}`, 'starts');
        continue;
      }
      const domain = ctx.domain;
      if (domain && ctx.domainOk && point.some((x, k) => x < (domain as Box)[k][0] || x > (domain as Box)[k][1])) {
        ctx.warn(item.range, `this start lies outside the domain; its trajectory is still computed`, 'start-outside');
      }
      ctx.result.starts.push(point);
    }
  },
};
