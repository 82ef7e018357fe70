/**
 * The stall classifier (src/engine/stall.ts) reuses its buffers from call to call (a map
 * classifies thousands of stalls): its verdicts and sharpness must not depend on what it
 * classified before. Checked against closed forms on (1 − xy)² (+ z²): the curve xy = 1 is a set
 * of minima with λ_max = 2(x² + y²) there, the origin a saddle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeProblem } from '../../../src/engine/analyze';
import { createStallClassifier } from '../../../src/engine/stall';
import { MinimumCode } from '../../../src/engine/types';

const cases = (n: number): { at: number[]; code: number; sharpness: number }[] => {
  const pad = (p: number[]): number[] => (n === 3 ? [...p, 0] : p);
  return [
    { at: pad([2, 0.5]), code: MinimumCode.Set, sharpness: 2 * (4 + 0.25) },
    { at: pad([0, 0]), code: MinimumCode.None, sharpness: NaN },
    { at: pad([-1, -1]), code: MinimumCode.Set, sharpness: 4 },
    // a stalled iterate ~1e-13 off the curve (GD stops within ~1e-12 of it)
    { at: pad([0.5, 2 + 1e-13]), code: MinimumCode.Set, sharpness: 2 * (0.25 + 4) },
    { at: pad([0, 0]), code: MinimumCode.None, sharpness: NaN },
    { at: pad([2, 0.5]), code: MinimumCode.Set, sharpness: 2 * (4 + 0.25) },
  ];
};

for (const [expression, n] of [['(1 - x*y)^2', 2], ['(1 - x*y)^2 + z^2', 3]] as const) {
  test(`stall classifier on ${expression}: the same verdict and sharpness in any order of calls`, () => {
    const problem = analyzeProblem({ expression, domain: Array.from({ length: n }, (): [number, number] => [-3, 3]) });
    const stall = createStallClassifier(problem);
    const out = new Float64Array(3);
    for (const c of cases(n)) {
      stall(Float64Array.from(c.at), out);
      assert.equal(out[0], c.code, `code at (${c.at.join(', ')})`);
      if (Number.isNaN(c.sharpness)) assert.ok(Number.isNaN(out[1]));
      else assert.ok(Math.abs(out[1] - c.sharpness) <= 1e-9 * c.sharpness, `λ_max ${out[1]} at (${c.at.join(', ')}), expected ${c.sharpness}`);
    }
  });
}
