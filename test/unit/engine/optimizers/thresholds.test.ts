/**
 * Stability thresholds of every optimizer, three ways:
 * 1. the closed form of thresholds.ts;
 * 2. the stability region of the linear recurrence derived here, independently: per Hessian
 *    eigenvalue the companion matrix of the recurrence, its spectral radius from the
 *    characteristic polynomial, and the η where it crosses 1 found by bisection;
 * 3. the divergence threshold observed by running the engine's own update rule (compileStep) on
 *    quadratics and bisecting on η between decay and growth.
 * (2) must match (1) to round-off, (3) must match within 1e-3 relative.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileStep } from '../../../../src/engine/optimizers/stepper';
import {
  adaptiveSharpnessLimit, etaMax, heavyBallSharpnessLimit, nesterovSharpnessLimit, optimizerRule, pointEtaMax, resolveOptimizer,
  sharpnessLimit, type OptimizerSpec,
} from '../../../../src/engine/optimizers';

/* ---------------------------------------------------------------- (2) the linear recurrences */

/** Spectral radius of the real 2×2 matrix [[a, b], [c, d]] from its characteristic polynomial z² − tz + δ. */
function radius2(a: number, b: number, c: number, d: number): number {
  const t = a + d;
  const det = a * d - b * c;
  const disc = t * t - 4 * det;
  if (disc >= 0) {
    const s = Math.sqrt(disc);
    return Math.max(Math.abs((t + s) / 2), Math.abs((t - s) / 2));
  }
  return Math.sqrt(det); // complex pair: |z|² = det
}

/**
 * Spectral radius of one optimizer's update linearised at a minimum, along a Hessian eigenvector
 * with eigenvalue λ. For Adam/RMSProp the preconditioner is frozen at P = ε (what it is at the
 * minimum itself, where v = 0) and bias correction has faded.
 */
function recurrenceRadius(spec: OptimizerSpec, eta: number, lambda: number): number {
  const h = eta * lambda;
  switch (spec.name) {
    case 'gd':
      return Math.abs(1 - h); // x' = (1 − ηλ)x
    case 'momentum':
      // (x_{k+1}, x_k) = [[1 + β − ηλ, −β], [1, 0]] (x_k, x_{k−1})
      return radius2(1 + spec.beta - h, -spec.beta, 1, 0);
    case 'nesterov':
      // x_{k+1} = (1 − ηλ)(x_k + β(x_k − x_{k−1}))
      return radius2((1 - h) * (1 + spec.beta), -(1 - h) * spec.beta, 1, 0);
    case 'rmsprop':
      return Math.abs(1 - h / spec.epsilon); // x' = x − (η/ε)λx
    case 'adam': {
      // m' = β₁m + (1 − β₁)λx,  x' = x − (η/ε)m'  on (m, x)
      const b1 = spec.beta1;
      const r = eta / spec.epsilon;
      return radius2(b1, (1 - b1) * lambda, -r * b1, 1 - r * (1 - b1) * lambda);
    }
  }
}

/** The largest η with spectral radius < 1 for every eigenvalue, by bisection on [lo, hi]. */
function recurrenceThreshold(spec: OptimizerSpec, lambdas: number[], lo: number, hi: number): number {
  const stable = (eta: number): boolean => lambdas.every((l) => recurrenceRadius(spec, eta, l) < 1);
  assert.ok(stable(lo) && !stable(hi), `bad bracket [${lo}, ${hi}] for ${spec.name}`);
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (stable(mid)) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const CASES: { spec: OptimizerSpec; label: string }[] = [
  { spec: resolveOptimizer({ name: 'gd' }), label: 'GD' },
  { spec: resolveOptimizer({ name: 'momentum', beta: 0.9 }), label: 'heavy-ball β = 0.9' },
  { spec: resolveOptimizer({ name: 'momentum', beta: 0.5 }), label: 'heavy-ball β = 0.5' },
  { spec: resolveOptimizer({ name: 'nesterov', beta: 0.9 }), label: 'Nesterov β = 0.9' },
  { spec: resolveOptimizer({ name: 'nesterov', beta: 0.3 }), label: 'Nesterov β = 0.3' },
  { spec: resolveOptimizer({ name: 'rmsprop', epsilon: 1 }), label: 'RMSProp ε = 1' },
  { spec: resolveOptimizer({ name: 'adam', epsilon: 1, biasCorrection: false }), label: 'Adam β₁ = 0.9 ε = 1' },
  { spec: resolveOptimizer({ name: 'adam', beta1: 0.5, epsilon: 1e-8 }), label: 'Adam β₁ = 0.5 ε = 1e-8' },
];

test('the closed forms equal the stability boundary of the linear recurrences (per eigenvalue, from the characteristic polynomial)', () => {
  for (const { spec, label } of CASES) {
    for (const lambdaMax of [1, 3.8, 12]) {
      const lambdas = [0.1 * lambdaMax, 0.55 * lambdaMax, lambdaMax];
      const closed = pointEtaMax(spec, lambdaMax) as number;
      const derived = recurrenceThreshold(spec, lambdas, closed / 4, closed * 4);
      assert.ok(Math.abs(derived - closed) <= 1e-9 * closed, `${label}, λ_max = ${lambdaMax}: recurrence ${derived} vs closed form ${closed}`);
    }
  }
});

test('named threshold values: 2/η, 3.8/η (heavy-ball 0.9), 19/14/η (Nesterov 0.9), 38/η (Adam 0.9), 2/η (RMSProp)', () => {
  const eta = 0.01;
  assert.equal(sharpnessLimit(resolveOptimizer({ name: 'gd' }), eta), 200);
  assert.ok(Math.abs(heavyBallSharpnessLimit(eta, 0.9) - 380) < 1e-9);
  assert.ok(Math.abs(nesterovSharpnessLimit(eta, 0.9) - 3.8 / 2.8 / eta) < 1e-9);
  assert.ok(Math.abs(adaptiveSharpnessLimit(eta, 0.9) - 3800) < 1e-6);
  assert.equal(sharpnessLimit(resolveOptimizer({ name: 'rmsprop' }), eta), 200);
  assert.equal(sharpnessLimit(resolveOptimizer({ name: 'adam' }), eta), adaptiveSharpnessLimit(eta, 0.9));
  // static η_max for the paper's f4 (λ_max = 19/5)
  assert.ok(Math.abs((etaMax(resolveOptimizer({ name: 'gd' }), 3.8) as number) - 10 / 19) < 1e-15);
  assert.ok(Math.abs((etaMax(resolveOptimizer({ name: 'momentum' }), 3.8) as number) - 1) < 1e-15);
  assert.equal(etaMax(resolveOptimizer({ name: 'adam' }), 3.8), null, 'Adam has no static η_max');
  assert.equal(etaMax(resolveOptimizer({ name: 'gd' }), 0), null);
  // with β = 0 momentum and Nesterov reduce to GD
  assert.equal(etaMax(resolveOptimizer({ name: 'momentum', beta: 0 }), 2), 1);
  assert.equal(etaMax(resolveOptimizer({ name: 'nesterov', beta: 0 }), 2), 1);
});

/* ---------------------------------------------------------------- (3) simulation */

/** H = R(φ) diag(λ₁, λ₂) R(φ)ᵀ: a rotated anisotropic quadratic ½θᵀHθ. */
function rotatedHessian(l1: number, l2: number, phi: number): [number, number, number] {
  const c = Math.cos(phi);
  const s = Math.sin(phi);
  return [c * c * l1 + s * s * l2, c * s * (l1 - l2), s * s * l1 + c * c * l2];
}

/**
 * Runs the engine's rule on ½θᵀHθ from θ_0 = (scale, −scale/2) and reports whether the iterates
 * grow: max |θ| over the last 200 steps against max |θ| over steps 200–400 (past the transient),
 * or beyond 1e20 times the start.
 */
function grows(spec: OptimizerSpec, eta: number, H: [number, number, number], scale: number, steps: number): boolean {
  const stepper = compileStep(optimizerRule(spec, eta), 2);
  const p = Float64Array.from([scale, -scale / 2]);
  const g = new Float64Array(2);
  const state = new Float64Array(stepper.stateSize);
  let early = 0;
  let late = 0;
  for (let k = 0; k < steps; k++) {
    g[0] = H[0] * p[0] + H[1] * p[1];
    g[1] = H[1] * p[0] + H[2] * p[1];
    stepper.step(p, g, state, k);
    const size = Math.max(Math.abs(p[0]), Math.abs(p[1]));
    // far from the start the adaptive methods saturate (√v ~ ε): that is growth too
    if (!Number.isFinite(size) || size > scale * 1e20) return true;
    if (k >= 200 && k < 400) early = Math.max(early, size);
    if (k >= steps - 200) late = Math.max(late, size);
  }
  return late > early;
}

function observedThreshold(spec: OptimizerSpec, H: [number, number, number], guess: number, scale: number, steps: number): number {
  let lo = guess * 0.5;
  let hi = guess * 1.5;
  assert.ok(!grows(spec, lo, H, scale, steps) && grows(spec, hi, H, scale, steps), `bad bracket for ${spec.name}`);
  while (hi - lo > 1e-5 * guess) {
    const mid = (lo + hi) / 2;
    if (grows(spec, mid, H, scale, steps)) hi = mid;
    else lo = mid;
  }
  return (lo + hi) / 2;
}

test('observed divergence threshold of the engine update on quadratics = closed form within 1e-3 (GD, heavy-ball, Nesterov)', () => {
  const H = rotatedHessian(3.8, 0.7, 0.6); // λ_max = 3.8, not axis-aligned
  for (const { spec, label } of CASES.filter((c) => c.spec.name === 'gd' || c.spec.name === 'momentum' || c.spec.name === 'nesterov')) {
    const closed = etaMax(spec, 3.8) as number;
    const seen = observedThreshold(spec, H, closed, 1, 20_000);
    assert.ok(Math.abs(seen - closed) <= 1e-3 * closed, `${label}: observed ${seen}, closed form ${closed}`);
  }
});

test('Adam / RMSProp: the iterate settles at the minimum iff η < (2+2β₁)ε/((1−β₁)λ_max) (P = ε there), within 1e-3', () => {
  // Starting 1e-40 from the minimum, √v ≪ ε·2⁻⁵³, so √v + ε = ε exactly and the update is the
  // linear recurrence with P = ε in floating point; growth or decay decides the threshold.
  const H = rotatedHessian(2, 0.3, 1.1);
  for (const { spec, label } of CASES.filter((c) => c.spec.name === 'adam' || c.spec.name === 'rmsprop')) {
    for (const bias of [false, true]) {
      const s = { ...spec, biasCorrection: bias } as OptimizerSpec;
      const closed = pointEtaMax(s, 2) as number;
      const eps = (s as { epsilon: number }).epsilon;
      const seen = observedThreshold(s, H, closed, 1e-40 * Math.min(1, eps), 20_000);
      assert.ok(Math.abs(seen - closed) <= 1e-3 * closed, `${label}, bias correction ${bias}: observed ${seen}, closed form ${closed}`);
    }
  }
});
