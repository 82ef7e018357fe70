/** The built-in paper data, the shipped examples and the engine agree with the paper's values. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeProblem } from '../../../src/engine/analyze';
import { FIGURE3, PAPER_FUNCTIONS, paperSpec } from '../../../src/engine/paper';

const examples = path.join(__dirname, '..', '..', '..', 'examples');

test('the Figure 2 example configs match the built-in paper data', () => {
  for (const f of PAPER_FUNCTIONS) {
    const config = JSON.parse(readFileSync(path.join(examples, `figure2-${f.id}.gdlab.json`), 'utf8')) as { objective: string; domain: Record<string, [number, number]> };
    assert.equal(config.objective.replace(/\s+/g, ''), f.expression.replace(/\s+/g, ''), f.id);
    assert.deepEqual([config.domain.x, config.domain.y], f.domain, f.id);
  }
  const fig3 = JSON.parse(readFileSync(path.join(examples, 'figure3-f4.gdlab.json'), 'utf8')) as { lr: number; starts: number[][] };
  assert.equal(fig3.lr, FIGURE3.eta);
  assert.deepEqual(fig3.starts, FIGURE3.starts.map((s) => s.init));
});

test('the engine finds the paper’s minima count and thresholds in each window', () => {
  for (const f of PAPER_FUNCTIONS) {
    const problem = analyzeProblem(paperSpec(f));
    assert.equal(problem.minima.length, f.minimaCount, `${f.id} minima`);
    for (const m of problem.minima) {
      assert.ok(Math.abs(m.lambdaMax - f.lambdaMax) < 1e-9 * f.lambdaMax, `${f.id} λ_max ${m.lambdaMax}`);
      assert.ok(Math.abs((m.etaMax as number) - f.etaMax) < 1e-9, `${f.id} η_max ${m.etaMax}`);
    }
  }
});
