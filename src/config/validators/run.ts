/** "grid", "maxSteps", "tolerance": how the map is computed. */
import { fmt } from '../format';
import { CONFIG_LIMITS } from '../configTypes';
import { describe, isFiniteNumber, type KeyValidator } from './context';

export const runValidator: KeyValidator<'grid' | 'maxSteps' | 'tolerance'> = {
  keys: ['grid', 'maxSteps', 'tolerance'],
  aliases: {
    gridsize: 'grid', resolution: 'grid', size: 'grid', pixels: 'grid', n: 'grid',
    maxiter: 'maxSteps', maxiters: 'maxSteps', maxiterations: 'maxSteps', steps: 'maxSteps', iterations: 'maxSteps', iters: 'maxSteps', maxstep: 'maxSteps', nsteps: 'maxSteps',
    tol: 'tolerance', guard: 'tolerance', roundoffguard: 'tolerance', eps: 'tolerance', epsilon: 'tolerance',
  },
  validate(ctx) {
    const gridEntry = ctx.get('grid');
    if (gridEntry) {
      const v = gridEntry.value;
      if (!isFiniteNumber(v) || !Number.isInteger(v.value)) {
        ctx.err(v.range, `"grid" must be a whole number of pixels per side, e.g. 256 (found ${describe(v)})`, 'grid');
      } else if (v.value > CONFIG_LIMITS.maxGrid) {
        ctx.warn(
          { start: gridEntry.keyRange.start, end: v.range.end },
          `grid too large: ${v.value}² = ${fmt(v.value * v.value, 3)} starts; the maximum is ${CONFIG_LIMITS.maxGrid}, so the map is computed at ${CONFIG_LIMITS.maxGrid} × ${CONFIG_LIMITS.maxGrid}`,
          'grid-too-large',
        );
        ctx.result.grid = CONFIG_LIMITS.maxGrid;
      } else if (v.value < CONFIG_LIMITS.minGrid) {
        ctx.err(v.range, `grid too small: at least ${CONFIG_LIMITS.minGrid} pixels per side (found ${v.value})`, 'grid');
      } else ctx.result.grid = v.value;
    }
    const stepsEntry = ctx.get('maxSteps');
    if (stepsEntry) {
      const v = stepsEntry.value;
      if (!isFiniteNumber(v) || !Number.isInteger(v.value) || v.value < 1) {
        ctx.err(v.range, `"maxSteps" must be a whole number ≥ 1, e.g. 2000 (found ${describe(v)})`, 'maxSteps');
      } else if (v.value > CONFIG_LIMITS.maxMaxSteps) {
        ctx.warn(v.range, `"maxSteps" too large: at most ${CONFIG_LIMITS.maxMaxSteps} (found ${v.value}), so ${CONFIG_LIMITS.maxMaxSteps} steps are used`, 'maxSteps');
        ctx.result.maxSteps = CONFIG_LIMITS.maxMaxSteps;
      } else ctx.result.maxSteps = v.value;
    }
    const tolEntry = ctx.get('tolerance');
    if (tolEntry) {
      const v = tolEntry.value;
      if (!isFiniteNumber(v) || v.value <= 0 || v.value > CONFIG_LIMITS.maxTolerance) {
        ctx.err(v.range, `"tolerance" is the relative round-off guard for counting a loss increase: a number in (0, ${CONFIG_LIMITS.maxTolerance}], e.g. 1e-12 (found ${describe(v)})`, 'tolerance');
      } else ctx.result.tolerance = v.value;
    }
  },
};
