/**
 * The optimizer in panel messages: requests carry a fully resolved optimizer (bad or partial ones
 * are refused naming the field and parameter); finished maps carry the optimizer's analysis (the
 * real engine's f4 analysis validates, malformed certificate slices do not); rows carry the
 * increase counts (uint16 little-endian); trajectories' preconditioned sharpness has one value per
 * iterate. And the host's side: which optimizer a job runs, and an LR sweep's learning rates.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { optimizerAnalysis } from '../../../src/engine/optimizers/analysis';
import { resolveOptimizer } from '../../../src/engine/optimizers/spec';
import { OptimizerError } from '../../../src/engine/optimizers/spec';
import { jobOptimizer, panelSweepEtas } from '../../../src/extension/panel/optimizerJobs';
import { smallestEtaMax } from '../../../src/extension/panel/slice';
import { base64ToUint16, uint16ToBase64, validateOptimizer } from '../../../src/shared/optimizerMessages';
import { validateHostMessage, validatePersistedState, validateWebviewMessage } from '../../../src/shared/protocolValidation';
import { ProtocolError } from '../../../src/shared/protocolFields';
import { F4_ANALYSIS, F4_PROBLEM, F4_SESSION } from './panelFixture';

const HEAVY_BALL = resolveOptimizer({ name: 'momentum', beta: 0.9 });
const rejects = (f: () => unknown, re: RegExp): void => assert.throws(f, (e: unknown) => e instanceof ProtocolError && re.test(e.message), re.source);

test('requests: a resolved optimizer passes; a partial, unknown or out-of-range one is refused naming the field', () => {
  const basin = { type: 'basin', requestId: 3, purpose: 'main', stripIndex: 0, eta: 0.25, xRange: [-3, 3], yRange: [-3, 3], grid: 64 };
  assert.ok(validateWebviewMessage({ ...basin, optimizer: HEAVY_BALL }));
  assert.ok(validateWebviewMessage(basin), 'absent: the session’s optimizer');
  assert.ok(validateWebviewMessage({ ...basin, optimizer: resolveOptimizer({ name: 'adam' }) }));
  rejects(() => validateWebviewMessage({ ...basin, optimizer: { name: 'momentum' } }), /message\(basin\)\.optimizer: expected a fully resolved optimizer \(momentum:beta=0\.9\)/);
  rejects(() => validateWebviewMessage({ ...basin, optimizer: { name: 'momentum', beta: 1 } }), /optimizer: beta \(β\) must be in \[0, 1\), got 1/);
  rejects(() => validateWebviewMessage({ ...basin, optimizer: { name: 'adamw' } }), /optimizer: unknown optimizer 'adamw' \(did you mean 'adam'\?\)/);
  rejects(() => validateWebviewMessage({ ...basin, optimizer: { name: 'heavy-ball', beta: 0.9 } }), /fully resolved/);
  rejects(() => validateWebviewMessage({ ...basin, optimizer: 'gd' }), /optimizer: expected an object/);
  const traj = { type: 'trajectory', requestId: 4, eta: 0.1, init: [0.1, 2.5] };
  rejects(() => validateWebviewMessage({ ...traj, optimizer: { name: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 0, biasCorrection: true } }), /message\(trajectory\)\.optimizer: epsilon \(ε\) must be positive/);
  const sweep = { type: 'sweep', requestId: 5, xRange: [0, 1], yRange: [0, 1], grid: 8 };
  rejects(() => validateWebviewMessage({ ...sweep, optimizer: { name: 'gd', beta: 0.5 } }), /gradient descent has no parameter 'beta'/);
  assert.deepEqual(validateOptimizer({ name: 'nesterov', beta: 0 }, 'x'), { name: 'nesterov', beta: 0 });
});

test('finished maps: the engine’s heavy-ball analysis of f4 validates after JSON; a malformed certificate slice or stats do not', () => {
  const analysis = JSON.parse(JSON.stringify(optimizerAnalysis(F4_PROBLEM, HEAVY_BALL, 0.25)));
  const stats = {
    total: 4, stable: 0, unstable: 1, diverged: 0, notConverged: 0, other: 0, cycle: 0, aperiodic: 0, descending: 0, perMinimum: [],
    minimumSet: { stable: 0, unstable: 0 }, unlisted: { stable: 0, unstable: 0 },
    increases: { anyIncrease: 1, meanConverged: 92, medianConverged: 90, maxConverged: 160, histogram: [0, 0, 0, 0, 0, 0, 1] },
  };
  const done = { type: 'basinDone', requestId: 1, stats, certificates: [], elapsedMs: 3, optimizer: analysis };
  assert.ok(validateHostMessage(done));
  const cert = analysis.momentumCertificates[0].certificate;
  rejects(() => validateHostMessage({ ...done, optimizer: { ...analysis, momentumCertificates: [{ ok: true, certificate: { ...cert, slice: [1, 0, 0] } }] } }), /momentumCertificates\[0\]\.certificate\.slice: expected 4 numbers, got 3/);
  rejects(() => validateHostMessage({ ...done, optimizer: { ...analysis, sharpnessLimit: -1 } }), /optimizer\.sharpnessLimit/);
  rejects(() => validateHostMessage({ ...done, optimizer: { ...analysis, spec: { name: 'momentum' } } }), /optimizer\.spec: expected a fully resolved/);
  rejects(() => validateHostMessage({ ...done, stats: { ...stats, increases: { ...stats.increases, anyIncrease: 1.5 } } }), /increases\.anyIncrease: must be ≤ 1/);
  rejects(() => validateHostMessage({ ...done, stats: { ...stats, increases: { ...stats.increases, histogram: [1] } } }), /histogram: expected 7 numbers/);
  const adam = JSON.parse(JSON.stringify(optimizerAnalysis(F4_PROBLEM, resolveOptimizer({ name: 'adam' }), 0.05)));
  assert.ok(validateHostMessage({ ...done, optimizer: adam }), 'Adam: no certificates, a neighbourhood');
});

test('rows carry the increase counts as uint16 little-endian; trajectories one preconditioned sharpness per iterate', () => {
  const counts = Uint16Array.of(0, 1, 255, 256, 65535);
  const text = uint16ToBase64(counts);
  assert.deepEqual(Array.from(base64ToUint16(text)), [0, 1, 255, 256, 65535]);
  // byte order fixed: 256 is the bytes 00 01
  assert.deepEqual(Array.from(Buffer.from(text, 'base64')).slice(6, 8), [0, 1]);
  assert.throws(() => base64ToUint16(Buffer.from([1, 2, 3]).toString('base64')), /not a multiple of 2/);
  const t = {
    eta: 0.05, init: [0.1, 2.5], n: 2, steps: 1, theta: [0.1, 2.5, 0.2, 2.4], loss: [1, 0.9], gradNorm: [1, 1], sharpness: [4, 4],
    increased: [0, 0], outcome: 'stable', minimum: 1, K: 0, increases: 0, firstIncreaseAt: null, enteredCertifiedAt: null,
    optimizer: 'Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8, bias correction on)', sharpnessLimit: 760, preconditionedSharpness: [300, null],
  };
  assert.ok(validateHostMessage({ type: 'trajectory', requestId: 1, trajectory: t }));
  rejects(() => validateHostMessage({ type: 'trajectory', requestId: 1, trajectory: { ...t, preconditionedSharpness: [1] } }), /preconditionedSharpness: expected 2 values \(one per iterate\), got 1/);
  rejects(() => validateHostMessage({ type: 'trajectory', requestId: 1, trajectory: { ...t, sharpnessLimit: 'x' } }), /sharpnessLimit/);
});

test('host: the request’s optimizer, else the session’s; GD goes to the pool as none; sweeps of the optimizer’s own η_max', () => {
  const session = { ...F4_SESSION, optimizer: HEAVY_BALL };
  assert.equal(jobOptimizer(undefined, F4_SESSION), undefined);
  assert.deepEqual(jobOptimizer(undefined, session), HEAVY_BALL);
  assert.equal(jobOptimizer({ name: 'gd' }, session), undefined, 'the selector chose GD over the config’s heavy-ball');
  assert.deepEqual(jobOptimizer(resolveOptimizer({ name: 'nesterov' }), F4_SESSION), { name: 'nesterov', beta: 0.9 });
  assert.throws(() => jobOptimizer({ name: 'momentum', beta: 2 }, F4_SESSION), OptimizerError);
  // f4: λ_max = 19/5 → GD 10/19, heavy-ball 0.9: 1, Nesterov 0.9: (3.8/2.8)/3.8 = 1/2.8
  assert.ok(Math.abs((smallestEtaMax(F4_ANALYSIS.minima) as number) - 10 / 19) < 1e-12);
  assert.ok(Math.abs((smallestEtaMax(F4_ANALYSIS.minima, HEAVY_BALL) as number) - 1) < 1e-12);
  assert.ok(Math.abs((smallestEtaMax(F4_ANALYSIS.minima, resolveOptimizer({ name: 'nesterov' })) as number) - 1 / 2.8) < 1e-12);
  assert.equal(smallestEtaMax(F4_ANALYSIS.minima, resolveOptimizer({ name: 'rmsprop' })), null);
  const etas = panelSweepEtas(F4_ANALYSIS.minima, HEAVY_BALL);
  assert.equal(etas.length, 20);
  assert.ok(Math.abs(etas[0] - 0.05) < 1e-12 && Math.abs(etas[19] - 0.99) < 1e-12, 'fractions of heavy-ball’s η_max = 1');
  assert.throws(() => panelSweepEtas(F4_ANALYSIS.minima, resolveOptimizer({ name: 'adam' })), /Adam's threshold bounds the preconditioned sharpness.*choose GD, heavy-ball or Nesterov/);
  assert.throws(() => panelSweepEtas([], undefined), /no strict minimum/);
});

test('a session (and a restored one) carries a resolved optimizer or none', () => {
  const session = { ...F4_SESSION, optimizer: HEAVY_BALL };
  assert.ok(validateHostMessage({ type: 'session', session, view: null }));
  rejects(() => validateHostMessage({ type: 'session', session: { ...F4_SESSION, optimizer: { name: 'momentum', beta: -1 } }, view: null }), /session\.optimizer: beta \(β\) must be in \[0, 1\)/);
  rejects(() => validatePersistedState({ session: { ...F4_SESSION, optimizer: { name: 'sgd' } }, view: { eta: 0.1, xRange: null, yRange: null } }), /state\.session\.optimizer: expected a fully resolved optimizer/);
});
