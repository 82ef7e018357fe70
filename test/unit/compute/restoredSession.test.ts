/**
 * A panel restored from state saved before sessions carried the parsed objective (ProblemSpec.ir)
 * — or any session without it — must still run: the host parses the expression again with the
 * text bundle (src/config/index.ts) before it asks the pool, which refuses a spec without IR.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as text from '../../../src/config/index';
import { ComputePool } from '../../../src/compute/pool';
import { sessionWithIR } from '../../../src/extension/panel/slice';
import { validatePersistedState } from '../../../src/shared/protocolValidation';
import type { AnalysisSession } from '../../../src/shared/session';
import { buildTestWorker } from './buildWorker';

let worker: { script: string; cleanup(): void };
let pool: ComputePool;

before(() => {
  worker = buildTestWorker();
  pool = new ComputePool({ workers: 1, workerScript: worker.script, stopTimeoutMs: 100 });
});
after(() => {
  pool.dispose();
  worker.cleanup();
});

/** What an older webview persisted: the session's problem as text only (no `ir`). */
const OLD_STATE = {
  session: {
    title: 'Figure 3: f4', problem: { expression: '(1 - x*y)^2 + (x^2 + y^2)/20', domain: [[-3, 3], [-3, 3]] }, eta: 0.25, learningRates: [],
    starts: [[0.1, 2.5]], grid: 64, maxSteps: 2000,
  },
  view: { eta: 0.25, xRange: null, yRange: null },
};

test('a restored session without IR: the pool refuses it as it is; with the IR rebuilt on the host it analyses and maps', async () => {
  const restored = validatePersistedState(JSON.parse(JSON.stringify(OLD_STATE)));
  const session: AnalysisSession = restored.session;
  assert.equal(session.problem.ir, undefined);
  await assert.rejects(pool.analyze(session.problem, []), /no parsed objective \(spec\.ir\)/);

  const fixed = sessionWithIR(session, text);
  assert.ok(fixed.problem.ir, 'the IR is attached');
  assert.deepEqual(fixed.problem.ir.variables, ['x', 'y']);
  assert.deepEqual(fixed.problem.domain, [[-3, 3], [-3, 3]], 'the rest of the problem is kept');
  assert.equal(fixed.problem.expression, session.problem.expression);
  assert.equal(session.problem.ir, undefined, 'the restored session itself is not mutated');
  const analysis = await pool.analyze(fixed.problem, []);
  // f4's minima in closed form: x = y = ±√(1 − 1/20) (from −2x(1 − x²) + x/10 = 0), λ_max = 19/5, η_max = 10/19
  assert.equal(analysis.minima.length, 2);
  for (const m of analysis.minima) {
    assert.ok(Math.abs(Math.abs(m.point[0]) - Math.sqrt(0.95)) < 1e-9);
    assert.ok(Math.abs((m.etaMax ?? 0) - 10 / 19) < 1e-9);
  }
  const map = await pool.basin({
    spec: fixed.problem, eta: 0.25, classify: { maxSteps: 2000, roundoffGuard: 1e-12, escapeRadius: 1e6, fallbackTolerance: 1e-6 },
    slice: { axes: [0, 1], base: [0, 0], xRange: [-3, 3], yRange: [-3, 3], width: 16, height: 16 },
  });
  assert.ok(map.stats.stable > 0.2, `stable share ${map.stats.stable}`);
  // a session that has its IR is returned as it is
  assert.equal(sessionWithIR(fixed, text), fixed);
});

test('a restored session with a bad expression fails with the parser’s message naming the position (never a crash)', () => {
  const bad = { ...OLD_STATE.session, problem: { expression: '(1 - x*y)^2 + * y' } } as AnalysisSession;
  assert.throws(() => sessionWithIR(bad, text), (e: unknown) => e instanceof Error && e.name === 'ExpressionError' && /at character 15/.test(e.message));
});
