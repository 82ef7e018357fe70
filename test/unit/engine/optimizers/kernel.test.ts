/**
 * The optimizers inside the shared classification loop: maps, trajectories and their agreement,
 * against GD (β = 0), the independent textbook loops (optimizerReference.ts) and the documented
 * convergence definitions (convergence.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeProblem } from '../../../../src/engine/analyze';
import { basinKernelSource, computeBasinMap, defaultSlice, pixelStart, stepConstants } from '../../../../src/engine/basin';
import { loopParts } from '../../../../src/engine/optimizers/loopParts';
import { certifyAll } from '../../../../src/engine/certificate';
import { DEFAULT_CLASSIFY } from '../../../../src/engine/classify';
import { etaMax, resolveOptimizer, type OptimizerSpec } from '../../../../src/engine/optimizers';
import { NEIGHBOURHOOD_WINDOW, neighbourhoodRadii } from '../../../../src/engine/optimizers/convergence';
import { optimizerRule } from '../../../../src/engine/optimizers';
import { smallestEtaMax } from '../../../../src/engine/sweep';
import { trajectory } from '../../../../src/engine/trajectory';
import { PixelClass } from '../../../../src/engine/types';
import { maxRelativeGap, referenceIterates, type ReferenceOptimizer } from '../../support/optimizerReference';
import { paperProblem } from '../../support/paper';

const f4grad = ([x, y]: number[]): number[] => [-2 * y * (1 - x * y) + x / 10, -2 * x * (1 - x * y) + y / 10];

test('β = 0: heavy-ball and Nesterov maps equal the GD maps pixel for pixel on f1–f4 (classes, minimum, K, increases)', () => {
  for (const id of ['f1', 'f2', 'f3', 'f4']) {
    const p = paperProblem(id);
    const slice = defaultSlice(p, 40);
    for (const frac of [0.5, 0.95]) {
      const eta = frac * (smallestEtaMax(p) as number);
      const gd = computeBasinMap(p, slice, eta, DEFAULT_CLASSIFY, certifyAll(p, eta));
      assert.ok(gd);
      for (const name of ['momentum', 'nesterov'] as const) {
        const m = computeBasinMap(p, slice, eta, DEFAULT_CLASSIFY, [], undefined, resolveOptimizer({ name, beta: 0 }));
        assert.ok(m);
        let differ = 0;
        for (let i = 0; i < gd.classes.length; i++) {
          if (m.classes[i] !== gd.classes[i] || m.minimum[i] !== gd.minimum[i] || m.unstableSteps[i] !== gd.unstableSteps[i] || m.increases[i] !== gd.increases[i]) differ++;
        }
        assert.equal(differ, 0, `${id} at ${frac}·η_max, ${name} β = 0: ${differ} pixels differ`);
      }
    }
  }
});

test('trajectories follow the independent textbook loops to 1e-12 (f4; Adam with and without bias correction, RMSProp, heavy-ball, Nesterov)', () => {
  const p = paperProblem('f4');
  const cases: { spec: OptimizerSpec; eta: number }[] = [
    { spec: resolveOptimizer({ name: 'adam' }), eta: 0.05 },
    { spec: resolveOptimizer({ name: 'adam', biasCorrection: false }), eta: 0.02 },
    { spec: resolveOptimizer({ name: 'adam', beta1: 0.8, beta2: 0.99, epsilon: 1e-4 }), eta: 0.1 },
    { spec: resolveOptimizer({ name: 'rmsprop' }), eta: 0.02 },
    { spec: resolveOptimizer({ name: 'momentum', beta: 0.9 }), eta: 0.1 },
    { spec: resolveOptimizer({ name: 'nesterov', beta: 0.7 }), eta: 0.1 },
  ];
  for (const { spec, eta } of cases) {
    for (const start of [[0.1, 2.5], [1.5, 2], [-2.2, -0.4]]) {
      const t = trajectory(p, eta, start, { optimizer: spec, tailSteps: 300 });
      const ref = referenceIterates(spec as ReferenceOptimizer, eta, f4grad, start, t.loss.length - 1);
      const gap = maxRelativeGap(t.theta, ref);
      assert.ok(gap <= 1e-12, `${spec.name} η = ${eta} from ${start}: gap ${gap} over ${t.loss.length} iterates`);
      assert.ok(t.outcome.kind === 'stable' || t.outcome.kind === 'unstable', `${spec.name} from ${start}: ${t.outcome.kind}`);
      assert.ok(t.loss.length > 300, `${spec.name} from ${start}: ${t.loss.length} iterates`);
    }
  }
});

test('a trajectory and its map pixel agree (class, minimum, steps, K) for every optimizer', () => {
  const p = paperProblem('f4');
  const slice = defaultSlice(p, 12);
  const specs: { spec: OptimizerSpec; eta: number }[] = [
    { spec: resolveOptimizer({ name: 'momentum' }), eta: 0.4 },
    { spec: resolveOptimizer({ name: 'nesterov' }), eta: 0.2 },
    { spec: resolveOptimizer({ name: 'rmsprop' }), eta: 0.05 },
    { spec: resolveOptimizer({ name: 'adam' }), eta: 0.05 },
  ];
  for (const { spec, eta } of specs) {
    const map = computeBasinMap(p, slice, eta, DEFAULT_CLASSIFY, [], undefined, spec);
    assert.ok(map);
    for (let r = 0; r < slice.height; r++) {
      for (let c = 0; c < slice.width; c++) {
        const i = r * slice.width + c;
        const t = trajectory(p, eta, pixelStart(slice, r, c), { optimizer: spec });
        const cls = { stable: PixelClass.Stable, unstable: PixelClass.Unstable, diverged: PixelClass.Diverged, other: PixelClass.Other, cycle: PixelClass.Cycle, aperiodic: PixelClass.BoundedAperiodic, descending: PixelClass.StillDescending, not_converged: PixelClass.NotConverged }[t.outcome.kind];
        assert.equal(cls, map.classes[i], `${spec.name} pixel ${r},${c}`);
        assert.equal(t.steps, map.steps[i], `${spec.name} pixel ${r},${c} steps`);
        assert.equal(t.K, map.unstableSteps[i], `${spec.name} pixel ${r},${c} K`);
        assert.equal(t.increases, map.increases[i], `${spec.name} pixel ${r},${c} increases`);
      }
    }
  }
});

test('stable means no loss increase up to the decision, unstable at least one — checked on the recorded losses with the guard', () => {
  const p = paperProblem('f4');
  const guard = DEFAULT_CLASSIFY.roundoffGuard;
  for (const spec of [resolveOptimizer({ name: 'momentum', beta: 0.5 }), resolveOptimizer({ name: 'adam' }), resolveOptimizer({ name: 'nesterov', beta: 0.3 })]) {
    let seen = { stable: 0, unstable: 0 };
    for (const start of [[0.1, 2.5], [1.5, 2], [-0.4, -1.6], [2.5, 0.2], [0.9, 1.3], [-1, -0.9]]) {
      const t = trajectory(p, spec.name === 'adam' ? 0.02 : 0.15, start, { optimizer: spec });
      if (t.outcome.kind !== 'stable' && t.outcome.kind !== 'unstable') continue;
      let increases = 0;
      for (let k = 1; k <= t.steps; k++) {
        // T (term scale) of f4 at its minima is below 1.2; a larger guard here would only hide increases
        if (t.loss[k] - t.loss[k - 1] > guard * (Math.abs(t.loss[k - 1]) + 1.2)) increases++;
      }
      assert.equal(t.outcome.kind === 'unstable', increases > 0, `${spec.name} from ${start}`);
      seen = { ...seen, [t.outcome.kind]: seen[t.outcome.kind] + 1 };
    }
    assert.ok(seen.stable + seen.unstable >= 4, `${spec.name}: ${JSON.stringify(seen)}`);
  }
});

test('Adam / RMSProp convergence: entered the inner ball at `steps`, stayed in the outer ball for the window after', () => {
  const p = paperProblem('f4');
  for (const [spec, eta] of [[resolveOptimizer({ name: 'adam' }), 0.05], [resolveOptimizer({ name: 'rmsprop' }), 0.02]] as const) {
    const { inner, outer } = neighbourhoodRadii(optimizerRule(spec, eta), 2, DEFAULT_CLASSIFY.fallbackTolerance);
    assert.ok(Math.abs(inner - eta * Math.SQRT2) < 1e-15);
    for (const start of [[0.1, 2.5], [1.5, 2], [-2.2, -0.4]]) {
      const t = trajectory(p, eta, start, { optimizer: spec });
      assert.ok(t.outcome.kind === 'stable' || t.outcome.kind === 'unstable', `${spec.name} from ${start}: ${t.outcome.kind}`);
      const m = p.minima[t.outcome.minimum].point;
      const dist = (k: number): number => Math.hypot(t.theta[2 * k] - m[0], t.theta[2 * k + 1] - m[1]);
      assert.ok(dist(t.steps) < inner, 'entered the inner ball at the decision');
      assert.equal(t.tail, NEIGHBOURHOOD_WINDOW - 1, 'the confirmation iterates are recorded');
      for (let k = t.steps; k < t.steps + NEIGHBOURHOOD_WINDOW; k++) assert.ok(dist(k) < outer, `left the outer ball at ${k}`);
      assert.equal(t.enteredCertifiedAt, null);
    }
  }
});

test('heavy-ball: converged starts are decided by the certified Lyapunov region', () => {
  const p = paperProblem('f4');
  const spec = resolveOptimizer({ name: 'momentum', beta: 0.9 });
  const eta = 0.5 * (etaMax(spec, p.minima[0].lambdaMax) as number);
  const t = trajectory(p, eta, [1.2, 0.8], { optimizer: spec, tailSteps: 500 });
  assert.equal(t.outcome.kind, 'unstable');
  assert.equal(t.enteredCertifiedAt, t.steps);
  // it does converge (in the tail the distance keeps shrinking)
  const m = p.minima[t.outcome.kind === 'unstable' ? t.outcome.minimum : 0].point;
  const end = t.loss.length - 1;
  assert.ok(Math.hypot(t.theta[2 * end] - m[0], t.theta[2 * end + 1] - m[1]) < Math.hypot(t.theta[2 * t.steps] - m[0], t.theta[2 * t.steps + 1] - m[1]) * 1e-3);
  assert.equal(t.sharpnessLimit, 2 * 1.9 / eta);
  assert.equal(t.preconditionedSharpness, null);
});

test('Adam: the preconditioned sharpness along a trajectory equals an independent computation (moments by hand, det(H − μP) = 0)', () => {
  const p = paperProblem('f4');
  const eta = 0.03;
  const spec = resolveOptimizer({ name: 'adam' });
  const t = trajectory(p, eta, [0.1, 2.5], { optimizer: spec, tailSteps: 100 });
  const prec = t.preconditionedSharpness;
  assert.ok(prec);
  assert.ok(Math.abs(t.sharpnessLimit - 3.8 / (0.1 * eta)) < 1e-9);
  const m = [0, 0];
  const v = [0, 0];
  for (let k = 0; k < t.loss.length; k++) {
    const x = t.theta[2 * k];
    const y = t.theta[2 * k + 1];
    const g = f4grad([x, y]);
    const s = k + 1;
    const P = [0, 1].map((i) => {
      m[i] = 0.9 * m[i] + 0.1 * g[i];
      v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
      return (1 - 0.9 ** s) * (Math.sqrt(v[i] / (1 - 0.999 ** s)) + 1e-8);
    });
    // f4's Hessian by hand
    const h11 = 2 * y * y + 0.1;
    const h22 = 2 * x * x + 0.1;
    const h12 = 4 * x * y - 2;
    const a = P[0] * P[1];
    const b = h11 * P[1] + h22 * P[0];
    const c = h11 * h22 - h12 * h12;
    const mu = (b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
    assert.ok(Math.abs(prec[k] - mu) <= 1e-9 * Math.abs(mu), `iterate ${k}: ${prec[k]} vs ${mu}`);
  }
});

test('edge of stability: on a quadratic the preconditioned sharpness settles at the threshold line (RMSProp 2/η, Adam 38/η)', () => {
  const q = analyzeProblem({ expression: 'x^2/2 + 5*y^2', domain: [[-3, 3], [-3, 3]] });
  for (const [name, eta] of [['rmsprop', 0.01], ['rmsprop', 0.05], ['adam', 0.01], ['adam', 0.05]] as const) {
    const t = trajectory(q, eta, [1, 1], { optimizer: resolveOptimizer({ name }), tailSteps: 20_000, maxSteps: 5000 });
    const late = Array.from((t.preconditionedSharpness as Float64Array).slice(-3000)).sort((x, y) => x - y);
    const median = late[late.length >> 1] / t.sharpnessLimit;
    assert.ok(median > 0.85 && median < 1.1, `${name} η = ${eta}: late median ${median} of the line`);
    // while λ_max(∇²f) itself stays 10 (the quadratic's), far below the line
    assert.ok(Math.abs(t.sharpness[t.sharpness.length - 1] - 10) < 1e-9);
  }
});

test('optimizer kernels: literals and fixed identifiers only, no allocation in the loop', () => {
  const p = paperProblem('f4');
  for (const spec of [resolveOptimizer({ name: 'momentum' }), resolveOptimizer({ name: 'nesterov', beta: 0.5 }), resolveOptimizer({ name: 'adam' }), resolveOptimizer({ name: 'rmsprop', biasCorrection: true })]) {
    const parts = loopParts(p, spec, 0.05, DEFAULT_CLASSIFY);
    assert.ok(parts);
    const src = basinKernelSource(p, defaultSlice(p, 8), stepConstants(p, 0.05, DEFAULT_CLASSIFY, [], parts.rule, parts.convergence));
    assert.doesNotMatch(src, /\bnew\b|\[\]|\{\s*\}|=>|function/, `${spec.name}: no allocation or closures`);
    const allowed = /^(t\d+|p\d+|g\d+|d\d+|z\d+|vel\d+|mo\d+|sq\d+|nh\d+|bc1|bc2|rd|nj|nk|nIncr|nLast|nExtra|e|Math|abs|sqrt|pow|Atomics|load|let|const|for|if|return|break|null|Infinity|NaN|true|false|use|strict|total|r|rowStart|rowEnd|width|xs|ys|k0|s2|y|rowOffset|col|x|fPrev|incr|last|cls|mi|k|cert|f|n2|cancel|idx|classes|minimum|steps|unstableSteps|limitSharpness|period|increases|sharp|per|rise|at|out|tb|tf|o|stall|tail)$/;
    for (const id of new Set(src.match(/[A-Za-z_$][A-Za-z0-9_$]*/g))) assert.match(id, allowed, `${spec.name}: unexpected identifier ${id}`);
  }
});

test('heavy-ball β = 0.9 on x² + y²: every converging start is unstable at 0.001 … 0.9 of the threshold; at exactly ½ the losses tie in pairs and the guard decides', () => {
  const q = analyzeProblem({ expression: 'x^2 + y^2', domain: [[-3, 3], [-3, 3]] });
  const spec = resolveOptimizer({ name: 'momentum', beta: 0.9 });
  const threshold = etaMax(spec, 2) as number;
  const slice = defaultSlice(q, 24);
  for (const frac of [0.001, 0.1, 0.3, 0.7, 0.9]) {
    const map = computeBasinMap(q, slice, frac * threshold, { ...DEFAULT_CLASSIFY, maxSteps: 20_000 }, [], undefined, spec);
    assert.ok(map);
    const converged = map.classes.filter((c) => c === PixelClass.Stable || c === PixelClass.Unstable).length;
    const unstable = map.classes.filter((c) => c === PixelClass.Unstable).length;
    assert.ok(converged >= 0.99 * map.classes.length && unstable === converged, `${frac}: ${unstable} unstable of ${converged} converged`);
  }
  // ηλ = 1 + β: θ_{k+1} = −βθ_{k−1}, so θ_1 = θ_2, θ_3 = θ_4, …: equal consecutive losses up to round-off
  const half = 0.5 * threshold;
  const t = trajectory(q, half, [1.3, -0.7], { optimizer: spec });
  for (let k = 1; k + 1 < 20; k += 2) assert.ok(Math.abs(t.loss[k + 1] - t.loss[k]) <= 1e-14 * t.loss[k], `tie at ${k}`);
  assert.equal(t.outcome.kind, 'stable', 'ties within the guard are not increases');
  const strict = trajectory(q, half, [1.3, -0.7], { optimizer: spec, roundoffGuard: 0 });
  assert.equal(strict.outcome.kind, 'unstable', 'with no guard, round-off in the ties counts');
});
