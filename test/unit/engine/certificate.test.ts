import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeProblem, type AnalyzedProblem } from '../../../src/engine/analyze';
import { certify, certifyAll, intervalCholeskyPositive, intervalEigenBounds } from '../../../src/engine/certificate';
import { compileProblemText } from '../../../src/engine/analyze';
import { interval } from '../../../src/engine/interval';
import type { Certificate, CriticalPoint } from '../../../src/engine/types';
import { mulberry32 } from '../../../src/engine/random';
import { paperProblem } from '../support/paper';

const rng = mulberry32;

const paper = (id: string): AnalyzedProblem => paperProblem(id);

function okCertificate(p: AnalyzedProblem, j: number, eta: number): Certificate {
  const r = certify(p, j, eta);
  assert.ok(r.ok, `expected a certificate, got: ${r.ok ? '' : r.reason}`);
  return r.certificate;
}

test('2×2 interval eigenvalue bound is exact at the corner and encloses sampled matrices', () => {
  // point matrix [[2, 1], [1, 2]]: eigenvalues 1 and 3
  const b = intervalEigenBounds([interval(2), interval(1), interval(1), interval(2)], 2);
  assert.ok(b.lambdaMinLb <= 1 && b.lambdaMinLb > 1 - 1e-12);
  assert.ok(b.lambdaMaxUb >= 3 && b.lambdaMaxUb < 3 + 1e-12);
  const random = rng(3);
  const A = interval(1, 2);
  const B = interval(-0.5, 0.25);
  const D = interval(-1, 3);
  const box = intervalEigenBounds([A, B, B, D], 2);
  for (let i = 0; i < 2000; i++) {
    const a = 1 + random();
    const bb = -0.5 + 0.75 * random();
    const d = -1 + 4 * random();
    const r = Math.sqrt(((a - d) / 2) ** 2 + bb * bb);
    assert.ok((a + d) / 2 + r <= box.lambdaMaxUb && (a + d) / 2 - r >= box.lambdaMinLb);
  }
  // Gershgorin for n = 3: diag(4, 5, 6) with off-diagonals in [−1, 1]
  const one = interval(-1, 1);
  const g = intervalEigenBounds([interval(4), one, one, one, interval(5), one, one, one, interval(6)], 3);
  assert.ok(g.lambdaMinLb <= 2 && g.lambdaMinLb > 1.99999 && g.lambdaMaxUb >= 8 && g.lambdaMaxUb < 8.00001);
});

test('certificates exist for f1–f4 below η_max, with M and C as in the proof', () => {
  for (const id of ['f1', 'f2', 'f3', 'f4']) {
    const p = paper(id);
    for (const frac of [0.2, 0.5, 0.9, 0.99]) {
      for (let j = 0; j < p.minima.length; j++) {
        const m = p.minima[j];
        const eta = frac * (m.etaMax as number);
        const c = okCertificate(p, j, eta);
        assert.ok(Math.abs(c.M - (m.lambdaMax + 2 / eta) / 2) < 1e-12 * c.M, 'M is the midpoint of λ_max and 2/η');
        assert.ok(c.M > m.lambdaMax && c.M < 2 / eta);
        assert.ok(Math.abs(c.C - (1 - (eta * c.M) / 2)) < 1e-12 && c.C > 0);
        assert.ok(c.t1 > 0 && c.tPrime > 0 && c.tPrime <= c.t1 / (1 + eta * c.M) + 1e-15, 't′ = t₁/(1+ηM) (less the residual)');
        assert.ok(c.c > m.value, 'the level is above f(θ*)');
        assert.deepEqual(c.center, m.point);
      }
    }
  }
});

test('certificate radius: independently, Hessian eigenvalues in the t₁-ball lie in (0, M] and f ≥ c on the t′-sphere', () => {
  const random = rng(11);
  for (const id of ['f1', 'f2', 'f3', 'f4']) {
    const p = paper(id);
    const n = p.compiled.n;
    const h = new Float64Array(n * n);
    for (const frac of [0.5, 0.9]) {
      const eta = frac * (p.minima[0].etaMax as number);
      const c = okCertificate(p, 0, eta);
      for (let i = 0; i < 3000; i++) {
        // uniform in the t₁-ball
        const ang = 2 * Math.PI * random();
        const r = c.t1 * Math.sqrt(random());
        const x = [c.center[0] + r * Math.cos(ang), c.center[1] + r * Math.sin(ang)];
        p.compiled.hessian(x, h);
        const tr = (h[0] + h[3]) / 2;
        const rad = Math.sqrt(((h[0] - h[3]) / 2) ** 2 + h[1] * h[1]);
        assert.ok(tr - rad > 0 && tr + rad <= c.M, `${id}: eigenvalues ${tr - rad}, ${tr + rad} at ${x} vs M = ${c.M}`);
        // on the t′-sphere f ≥ c
        const s = [c.center[0] + c.tPrime * Math.cos(ang), c.center[1] + c.tPrime * Math.sin(ang)];
        assert.ok(p.compiled.value(s) >= c.c, `${id}: f on the sphere below c`);
      }
    }
  }
});

test('forward invariance, simulated: 10⁴ starts in U stay in U and descend at every step for 1000 steps (f1–f4, 0.5 and 0.9·η_max)', () => {
  const random = rng(2024);
  for (const id of ['f1', 'f2', 'f3', 'f4']) {
    const p = paper(id);
    const g = new Float64Array(2);
    const x = new Float64Array(2);
    for (const frac of [0.5, 0.9]) {
      const eta = frac * (p.minima[0].etaMax as number);
      const c = okCertificate(p, 0, eta);
      const inU = (v: Float64Array, f: number): boolean => (v[0] - c.center[0]) ** 2 + (v[1] - c.center[1]) ** 2 < c.tPrime ** 2 && f < c.c;
      let starts = 0;
      let violations = 0;
      let guard = 0;
      while (starts < 10_000 && guard++ < 1_000_000) {
        const ang = 2 * Math.PI * random();
        const r = c.tPrime * Math.sqrt(random());
        x[0] = c.center[0] + r * Math.cos(ang);
        x[1] = c.center[1] + r * Math.sin(ang);
        let f = p.compiled.valueAndGradient(x, g);
        if (!inU(x, f)) continue; // rejection sampling of U
        starts++;
        for (let k = 0; k < 1000; k++) {
          x[0] -= eta * g[0];
          x[1] -= eta * g[1];
          const fNext = p.compiled.valueAndGradient(x, g);
          // descent; once GD is within ~1e-8 of θ*, f is pure round-off (f3 at (±1,±1) is 1+1−3+1 = 0
          // computed from terms of size ~1, so f jitters by a few 1e-16): allow rises below 1e-14
          if (fNext - f > 1e-14) violations++;
          if (!inU(x, fNext)) violations++;
          f = fNext;
          if (violations > 0) break;
        }
        assert.equal(violations, 0, `${id} at ${frac}·η_max: a start in U left U or the loss rose`);
      }
      assert.equal(starts, 10_000, `${id}: U was sampled`);
    }
  }
});

test('no certificate: η ≥ η_max, a degenerate minimum, a bad index — each with a reason', () => {
  const p = paper('f1');
  const at = certify(p, 0, 1);
  assert.equal(at.ok, false);
  assert.match(at.ok ? '' : at.reason, /η_max/);
  const beyond = certify(p, 0, 1.2);
  assert.equal(beyond.ok, false);
  const bad = certify(p, 5, 0.5);
  assert.equal(bad.ok, false);
  assert.match(bad.ok ? '' : bad.reason, /no minimum with index 5/);
  assert.throws(() => certify(p, 0, -1), /positive/);
  // x⁴ + y²: a minimum with a zero Hessian eigenvalue
  const compiled = compileProblemText('x^4 + y^2');
  const degenerate: CriticalPoint = { kind: 'minimum', point: [0, 0], value: 0, eigenvalues: [0, 2], lambdaMin: 0, lambdaMax: 2, etaMax: 1, gradientNorm: 0 };
  const r = certify({ compiled, minima: [degenerate], domain: [[-1, 1], [-1, 1]] }, 0, 0.5);
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.reason, /degenerate/);
  assert.equal(certifyAll(p, 0.5).length, 1);
});

test('interval Cholesky proves definiteness where Gershgorin cannot (n = 3), and refuses indefinite matrices', () => {
  // eigenvalues 2.8, 0.1, 0.1: positive definite, but the Gershgorin discs reach 1 − 1.8 < 0
  const c = (v: number) => interval(v);
  const A = [c(1), c(0.9), c(0.9), c(0.9), c(1), c(0.9), c(0.9), c(0.9), c(1)];
  assert.ok(intervalEigenBounds(A, 3).lambdaMinLb < 0);
  assert.ok(intervalCholeskyPositive(A, 3));
  const withProbe = intervalEigenBounds(A, 3, { upper: 2.9, lower: [0.05] });
  assert.equal(withProbe.lambdaMinLb, 0.05);
  assert.ok(withProbe.lambdaMaxUb <= 2.9);
  // 2.75 < λ_max = 2.8: must not be "proved"
  assert.ok(intervalEigenBounds(A, 3, { upper: 2.75 }).lambdaMaxUb > 2.75);
  // eigenvalues 2.9, −0.1 ×… (off-diagonal 0.95 → 1 − 0.95 = 0.05 > 0; 1.05 → indefinite)
  const B = [c(1), c(1.05), c(0), c(1.05), c(1), c(0), c(0), c(0), c(1)];
  assert.equal(intervalCholeskyPositive(B, 3), false);
  // an interval entry wide enough to contain an indefinite member
  const W = [c(1), interval(0.5, 1.2), c(0), interval(0.5, 1.2), c(1), c(0), c(0), c(0), c(1)];
  assert.equal(intervalCholeskyPositive(W, 3), false);
});

test('n = 3: the coupled example f4 + (z − x)² (not diagonally dominant) is certified; simulation stays in U', () => {
  const p = analyzeProblem({ expression: '(1 - x*y)^2 + (x^2 + y^2)/20 + (z - x)^2', variables: ['x', 'y', 'z'] });
  assert.equal(p.minima.length, 2);
  const eta = 0.5 * (p.minima[0].etaMax as number);
  const c = okCertificate(p, 0, eta);
  const random = rng(8);
  const g = new Float64Array(3);
  const x = new Float64Array(3);
  let starts = 0;
  for (let s = 0; s < 2000; s++) {
    // the level c uses the certified λ_min bound (small here), so U is thin: sample near θ*
    for (let i = 0; i < 3; i++) x[i] = c.center[i] + (2 * random() - 1) * c.tPrime * 0.03;
    let f = p.compiled.valueAndGradient(x, g);
    if (!(f < c.c)) continue;
    starts++;
    for (let k = 0; k < 300; k++) {
      for (let i = 0; i < 3; i++) x[i] -= eta * g[i];
      const fNext = p.compiled.valueAndGradient(x, g);
      assert.ok(fNext - f <= 1e-14, 'descent');
      assert.ok((x[0] - c.center[0]) ** 2 + (x[1] - c.center[1]) ** 2 + (x[2] - c.center[2]) ** 2 < c.tPrime ** 2 && fNext < c.c, 'stays in U');
      f = fNext;
    }
  }
  assert.ok(starts > 100, `${starts} starts in U`);
});

test('n = 3 (Gershgorin): a certificate for a 3-variable bowl, checked by simulation', () => {
  const p = analyzeProblem({ expression: 'x^2 + 2*y^2 + 3*z^2 + x*y*z', domain: [[-1, 1], [-1, 1], [-1, 1]] });
  const j = p.minima.findIndex((m) => m.point.every((v) => Math.abs(v) < 1e-9));
  assert.ok(j >= 0, 'the origin is a minimum');
  const eta = 0.8 * (p.minima[j].etaMax as number);
  const c = okCertificate(p, j, eta);
  const random = rng(5);
  const g = new Float64Array(3);
  const x = new Float64Array(3);
  for (let s = 0; s < 500; s++) {
    for (let i = 0; i < 3; i++) x[i] = (2 * random() - 1) * c.tPrime * 0.57;
    let f = p.compiled.valueAndGradient(x, g);
    if (!(f < c.c)) continue;
    for (let k = 0; k < 200; k++) {
      for (let i = 0; i < 3; i++) x[i] -= eta * g[i];
      const fNext = p.compiled.valueAndGradient(x, g);
      assert.ok(fNext <= f);
      assert.ok(x[0] ** 2 + x[1] ** 2 + x[2] ** 2 < c.tPrime ** 2);
      f = fNext;
    }
  }
});

test('beyond the paper: certificates of log/exp/cos/sqrt/tanh objectives hold up in simulation', () => {
  const random = rng(77);
  const exprs = ['log(1 + x^2 + y^2) + 0.5*x^2 + sin(y)^2', 'exp(x*y) + x^2 + 2*y^2 - cos(x - y)', 'sqrt(1 + x^2 + y^2) + 0.1*x*y + tanh(x - y)^2'];
  for (const text of exprs) {
    const p = analyzeProblem({ expression: text, domain: [[-4, 4], [-4, 4]] });
    assert.ok(p.minima.length >= 1, text);
    for (const frac of [0.3, 0.97]) {
      const eta = frac * (p.minima[0].etaMax as number);
      const c = okCertificate(p, 0, eta);
      const g = new Float64Array(2);
      const x = new Float64Array(2);
      let starts = 0;
      for (let s = 0; s < 20_000 && starts < 500; s++) {
        const ang = 2 * Math.PI * random();
        const r = c.tPrime * Math.sqrt(random());
        x[0] = c.center[0] + r * Math.cos(ang);
        x[1] = c.center[1] + r * Math.sin(ang);
        let f = p.compiled.valueAndGradient(x, g);
        if (!(f < c.c)) continue;
        starts++;
        for (let k = 0; k < 200; k++) {
          x[0] -= eta * g[0];
          x[1] -= eta * g[1];
          const fNext = p.compiled.valueAndGradient(x, g);
          assert.ok(fNext - f <= 1e-13 * (1 + Math.abs(f)), `${text}: descent`);
          assert.ok((x[0] - c.center[0]) ** 2 + (x[1] - c.center[1]) ** 2 < c.tPrime ** 2 && fNext < c.c, `${text}: stays in U`);
          f = fNext;
        }
      }
      assert.equal(starts, 500, `${text}: U sampled`);
    }
  }
});

test('an isotropic quadratic (equal Hessian eigenvalues, zero off-diagonal) is certified', () => {
  // Regression: the exact 2×2 bound took the square root of a zero square rounded below 0.
  const problem = analyzeProblem({ expression: 'x^2 + y^2' });
  const eta = 0.5;
  const result = certify(problem, 0, eta);
  assert.ok(result.ok, JSON.stringify(result));
  const { M, t1, tPrime, c } = result.certificate;
  assert.equal(M, 3, 'M = (λ_max + 2/η)/2 = (2 + 4)/2');
  assert.ok(Math.abs(tPrime - t1 / (1 + eta * M)) < 1e-12);
  // The Hessian is 2I everywhere, so λ_min,lb = 2 and c = f(θ*) + λ·t′²/2 = t′².
  assert.ok(c <= tPrime * tPrime + 1e-12 && c > 0.99 * tPrime * tPrime, `c = ${c}, t′² = ${tPrime * tPrime}`);
});
