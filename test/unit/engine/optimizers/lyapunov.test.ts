/**
 * The momentum certificate checked independently: random states on the boundary of the certified
 * region, iterated with the textbook heavy-ball / Nesterov loops (optimizerReference.ts, not the
 * engine's rule), stay in it, shrink √V by at least γ per step and converge to the minimum.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeProblem, type AnalyzedProblem } from '../../../../src/engine/analyze';
import { certifyMomentum, momentumRadius, type MomentumCertificate } from '../../../../src/engine/optimizers/lyapunov';
import { etaMax, resolveOptimizer } from '../../../../src/engine/optimizers';
import { mulberry32 } from '../../../../src/engine/random';
import { paperProblem } from '../../support/paper';

/** V(z) = zᵀPz for z = (θ_k − θ̃, θ_{k−1} − θ̃). */
function lyapunov(c: MomentumCertificate, cur: number[], prev: number[]): number {
  const n = cur.length;
  const z = [...cur.map((v, i) => v - c.center[i]), ...prev.map((v, i) => v - c.center[i])];
  let s = 0;
  for (let i = 0; i < 2 * n; i++) for (let j = 0; j < 2 * n; j++) s += z[i] * c.P[i * 2 * n + j] * z[j];
  return s;
}

/**
 * From random (θ_0, θ_{−1}) with V = 0.999·level, runs the method's textbook form for `steps`:
 * heavy-ball θ_{k+1} = θ_k − η∇f(θ_k) + β(θ_k − θ_{k−1}); Nesterov θ_{k+1} = y_k − η∇f(y_k),
 * y_k = θ_k + β(θ_k − θ_{k−1}). Asserts V < level and √V_k ≤ γ^k √V_0 (+ round-off) throughout.
 */
function checkInvariance(p: AnalyzedProblem, c: MomentumCertificate, samples: number, steps: number, seed: number): void {
  const n = p.compiled.n;
  const random = mulberry32(seed);
  const g = new Float64Array(n);
  for (let s = 0; s < samples; s++) {
    const dir = Array.from({ length: 2 * n }, () => random() * 2 - 1);
    let cur = dir.slice(0, n).map((v, i) => c.center[i] + v);
    let prev = dir.slice(n).map((v, i) => c.center[i] + v);
    const scale = Math.sqrt((0.999 * c.level) / lyapunov(c, cur, prev));
    cur = cur.map((v, i) => c.center[i] + (v - c.center[i]) * scale);
    prev = prev.map((v, i) => c.center[i] + (v - c.center[i]) * scale);
    const v0 = Math.sqrt(lyapunov(c, cur, prev));
    for (let k = 1; k <= steps; k++) {
      const at = c.optimizer === 'momentum' ? cur : cur.map((v, i) => v + c.beta * (v - prev[i]));
      p.compiled.valueAndGradient(at, g);
      const next = c.optimizer === 'momentum'
        ? cur.map((v, i) => v - c.eta * g[i] + c.beta * (v - prev[i]))
        : at.map((v, i) => v - c.eta * g[i]);
      prev = cur;
      cur = next;
      const v = Math.sqrt(lyapunov(c, cur, prev));
      assert.ok(v * v < c.level, `sample ${s} left the region at step ${k}`);
      assert.ok(v <= Math.pow(c.gamma, k) * v0 + 1e-12, `sample ${s}: √V ${v} above γ^k·√V₀ = ${Math.pow(c.gamma, k) * v0} at step ${k}`);
    }
    const dist = Math.hypot(...cur.map((v, i) => v - c.center[i]));
    assert.ok(dist < 1e-9 || dist < Math.pow(c.gamma, steps) * v0 * 10, `sample ${s} ends ${dist} from the minimum`);
  }
}

const ok = (r: ReturnType<typeof certifyMomentum>): MomentumCertificate => {
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.certificate;
};

test('heavy-ball β = 0.9 on f4 and f1 at 0.5 and 0.9 of the threshold: boundary states stay in the region and contract by γ', () => {
  for (const id of ['f4', 'f1']) {
    const p = paperProblem(id);
    const spec = resolveOptimizer({ name: 'momentum', beta: 0.9 });
    for (const frac of [0.5, 0.9]) {
      const c = ok(certifyMomentum(p, 0, spec, frac * (etaMax(spec, p.minima[0].lambdaMax) as number)));
      assert.ok(c.gamma < 1 && c.radius > 1e-5 && c.level > 0);
      checkInvariance(p, c, 200, 300, 7);
    }
  }
});

test('Nesterov β = 0.5 and 0.9 on f4: the same', () => {
  const p = paperProblem('f4');
  for (const beta of [0.5, 0.9]) {
    const spec = resolveOptimizer({ name: 'nesterov', beta });
    const c = ok(certifyMomentum(p, 1, spec, 0.7 * (etaMax(spec, p.minima[1].lambdaMax) as number)));
    assert.equal(c.a, beta);
    assert.equal(c.b, 1 + beta);
    checkInvariance(p, c, 200, 300, 11);
  }
});

test('a quadratic is certified on the whole window; past the threshold nothing is certified', () => {
  const p = analyzeProblem({ expression: 'x^2 + 3*y^2 + x*y', domain: [[-2, 2], [-2, 2]] });
  const spec = resolveOptimizer({ name: 'momentum', beta: 0.9 });
  const threshold = etaMax(spec, p.minima[0].lambdaMax) as number;
  const c = ok(certifyMomentum(p, 0, spec, 0.6 * threshold));
  assert.ok(c.radius >= 4, `radius ${c.radius}`);
  checkInvariance(p, c, 100, 200, 3);
  const past = certifyMomentum(p, 0, spec, 1.01 * threshold);
  assert.ok(!past.ok && /spectral radius/.test(past.reason));
  assert.ok(!certifyMomentum(p, 0, resolveOptimizer({ name: 'adam' }), 0.1).ok);
});

test('momentumRadius: the spectral radius crosses 1 exactly at the closed-form thresholds', () => {
  for (const beta of [0, 0.3, 0.9]) {
    const hb = (2 * (1 + beta)) / 5;
    assert.ok(momentumRadius('momentum', beta, hb * (1 - 1e-9), 5) < 1 && momentumRadius('momentum', beta, hb * (1 + 1e-9), 5) > 1);
    const nag = (2 + 2 * beta) / ((1 + 2 * beta) * 5);
    assert.ok(momentumRadius('nesterov', beta, nag * (1 - 1e-9), 5) < 1 && momentumRadius('nesterov', beta, nag * (1 + 1e-9), 5) > 1);
  }
});
