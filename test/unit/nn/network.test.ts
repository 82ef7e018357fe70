/**
 * Gradients and Hessian-vector products of the network engine against central finite
 * differences, against closed-form Hessians (deep linear network, matrix factorization), and
 * λ_max by Lanczos against a dense eigendecomposition of the Hessian assembled from n HVPs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symmetricEigenvalues } from '../../../src/engine/linalg';
import { activationScalar } from '../../../src/engine/nn/activations';
import { Lanczos } from '../../../src/engine/nn/lanczos';
import { LOSSES } from '../../../src/engine/nn/losses';
import { matrixFactorizationData } from '../../../src/engine/nn/model';
import { Network } from '../../../src/engine/nn/network';
import { train } from '../../../src/engine/nn/train';
import { mulberry32 } from '../../../src/engine/random';
import { ACTIVATIONS, denseHessian, maxAbs, maxAbsDiff, model, randomNetwork } from './helpers';

test('activations: σ′ and σ″ agree with central differences of σ (and of σ′)', () => {
  const h = 1e-5;
  for (const name of ACTIVATIONS) {
    const act = { name, beta: 3 };
    for (const z of [-3.1, -0.7, 0, 0.4, 2.2]) {
      const [, d1, d2] = activationScalar(act, z);
      const fd1 = (activationScalar(act, z + h)[0] - activationScalar(act, z - h)[0]) / (2 * h);
      const fd2 = (activationScalar(act, z + h)[1] - activationScalar(act, z - h)[1]) / (2 * h);
      assert.ok(Math.abs(fd1 - d1) < 1e-8, `${name} σ′(${z}): ${d1} vs ${fd1}`);
      assert.ok(Math.abs(fd2 - d2) < 1e-8, `${name} σ″(${z}): ${d2} vs ${fd2}`);
    }
  }
  // softplus_β approaches ReLU as β grows; GELU(tanh form) at 1: 0.8411920…
  assert.ok(Math.abs(activationScalar({ name: 'softplus', beta: 200 }, 0.5)[0] - 0.5) < 1e-12);
  assert.ok(Math.abs(activationScalar({ name: 'gelu', beta: 1 }, 1)[0] - 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * 1.044715))) < 1e-15);
});

test('gradient and HVP agree with central finite differences for every activation × loss', () => {
  for (const act of ACTIVATIONS) {
    for (const loss of LOSSES) {
      const widths = [3, 5, 4, loss === 'logistic' ? 1 : 3];
      const { net, params } = randomNetwork(act, loss, widths, 9, 11);
      const n = net.nParams;
      const g = new Float64Array(n);
      const L0 = net.lossAndGradient(params, g);
      assert.ok(Number.isFinite(L0));
      const h = 1e-5;
      const q = params.slice();
      let gErr = 0;
      for (let i = 0; i < n; i++) {
        q[i] = params[i] + h;
        const lp = net.loss(q);
        q[i] = params[i] - h;
        const lm = net.loss(q);
        q[i] = params[i];
        gErr = Math.max(gErr, Math.abs((lp - lm) / (2 * h) - g[i]));
      }
      assert.ok(gErr < 1e-8 * (1 + maxAbs(g)), `${act}/${loss}: gradient error ${gErr}`);
      // HVP vs the central difference of the gradient along a random direction
      const rnd = mulberry32(5);
      const v = new Float64Array(n).map(() => rnd() - 0.5);
      const hv = new Float64Array(n);
      net.hvp(params, v, hv);
      const gp = new Float64Array(n);
      const gm = new Float64Array(n);
      for (let i = 0; i < n; i++) q[i] = params[i] + h * v[i];
      net.lossAndGradient(q, gp);
      for (let i = 0; i < n; i++) q[i] = params[i] - h * v[i];
      net.lossAndGradient(q, gm);
      let hErr = 0;
      for (let i = 0; i < n; i++) hErr = Math.max(hErr, Math.abs((gp[i] - gm[i]) / (2 * h) - hv[i]));
      assert.ok(hErr < 1e-7 * (1 + maxAbs(hv)), `${act}/${loss}: HVP error ${hErr}`);
      // the HVP after a fresh gradient at another point is recomputed there (cache keyed by value)
      net.lossAndGradient(q, gm);
      const hv2 = new Float64Array(n);
      net.hvp(params, v, hv2);
      assert.deepEqual(hv2, hv);
    }
  }
});

test('deep linear network: the Hessian from HVPs equals the closed form (1/N)[⟨J_p, J_q⟩ + ⟨R, S_pq⟩]', () => {
  // L(A, B) = (1/2N)‖B A X − Y‖²_F with A = W1 (h×d), B = W2 (c×h), X: d×N (columns = points)
  const d = 3, h = 4, c = 2, N = 7;
  const rnd = mulberry32(21);
  const inputs = new Float64Array(N * d).map(() => rnd() * 2 - 1);
  const targets = new Float64Array(N * c).map(() => rnd() * 2 - 1);
  const net = new Network({ widths: [d, h, c], activation: { name: 'linear', beta: 1 }, bias: false, loss: 'mse', reduction: 'mean' }, { n: N, inputDim: d, outputDim: c, inputs, targets, inputNames: [], targetNames: [] });
  const params = new Float64Array(net.nParams).map(() => rnd() * 2 - 1);
  const A = (i: number, j: number): number => params[i * d + j];
  const B = (k: number, i: number): number => params[h * d + k * h + i];
  const X = (j: number, s: number): number => inputs[s * d + j];
  const AX = (i: number, s: number): number => { let t = 0; for (let j = 0; j < d; j++) t += A(i, j) * X(j, s); return t; };
  const R = (k: number, s: number): number => { let t = -targets[s * c + k]; for (let i = 0; i < h; i++) t += B(k, i) * AX(i, s); return t; };
  const n = net.nParams;
  // J_p: the c×N derivative of B A X with respect to parameter p
  const J: Float64Array[] = [];
  for (let p = 0; p < n; p++) {
    const m = new Float64Array(c * N);
    if (p < h * d) {
      const i = Math.floor(p / d), j = p % d;
      for (let k = 0; k < c; k++) for (let s = 0; s < N; s++) m[k * N + s] = B(k, i) * X(j, s);
    } else {
      const k = Math.floor((p - h * d) / h), i = (p - h * d) % h;
      for (let s = 0; s < N; s++) m[k * N + s] = AX(i, s);
    }
    J.push(m);
  }
  const closed = new Float64Array(n * n);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      let v = 0;
      for (let t = 0; t < c * N; t++) v += J[p][t] * J[q][t];
      // S_pq: the second derivative, nonzero for (A_ij, B_ki): row k of E_ki E_ij X = X[j, :]
      const [pa, pb] = p < h * d ? [p, q] : [q, p];
      if (pa < h * d && pb >= h * d) {
        const i = Math.floor(pa / d), j = pa % d;
        const k = Math.floor((pb - h * d) / h), i2 = (pb - h * d) % h;
        if (i === i2) for (let s = 0; s < N; s++) v += R(k, s) * X(j, s);
      }
      closed[p * n + q] = v / N;
    }
  }
  const H = denseHessian(net, params);
  assert.ok(maxAbsDiff(H, closed) < 1e-13 * (1 + maxAbs(closed)), `max difference ${maxAbsDiff(H, closed)}`);
});

test('matrix factorization: gradient R V, Rᵀ U and the Hessian of ½‖U Vᵀ − M‖²_F in closed form', () => {
  const M = [[1, -0.5, 2], [0.3, 1.5, -1]]; // m = 2, n = 3
  const m = 2, nCols = 3, r = 2;
  const built = model({ kind: 'matrix-factorization', rank: r, target: M, init: { seed: 4, scale: 1.5 } });
  const { network: net, initial: params } = built;
  assert.equal(net.nParams, r * nCols + m * r);
  // layout: W1 = Vᵀ (r × n), then W2 = U (m × r)
  const V = (b: number, j: number): number => params[j * nCols + b];
  const U = (a: number, i: number): number => params[r * nCols + a * r + i];
  const R = (a: number, b: number): number => { let t = -M[a][b]; for (let i = 0; i < r; i++) t += U(a, i) * V(b, i); return t; };
  let L = 0;
  for (let a = 0; a < m; a++) for (let b = 0; b < nCols; b++) L += 0.5 * R(a, b) ** 2;
  const g = new Float64Array(net.nParams);
  assert.ok(Math.abs(net.lossAndGradient(params, g) - L) < 1e-14);
  for (let a = 0; a < m; a++) for (let i = 0; i < r; i++) {
    let v = 0;
    for (let b = 0; b < nCols; b++) v += R(a, b) * V(b, i);
    assert.ok(Math.abs(g[r * nCols + a * r + i] - v) < 1e-14);
  }
  for (let b = 0; b < nCols; b++) for (let j = 0; j < r; j++) {
    let v = 0;
    for (let a = 0; a < m; a++) v += R(a, b) * U(a, j);
    assert.ok(Math.abs(g[j * nCols + b] - v) < 1e-14);
  }
  // Hessian: J_U(a,i) = E_ai Vᵀ, J_V(b,j) = U E_bjᵀ; second term δ_ij R[a,b] for (U_ai, V_bj)
  const n = net.nParams;
  const jac = (p: number): Float64Array => {
    const out = new Float64Array(m * nCols);
    if (p < r * nCols) {
      const j = Math.floor(p / nCols), b = p % nCols;
      for (let a = 0; a < m; a++) out[a * nCols + b] = U(a, j);
    } else {
      const a = Math.floor((p - r * nCols) / r), i = (p - r * nCols) % r;
      for (let b = 0; b < nCols; b++) out[a * nCols + b] = V(b, i);
    }
    return out;
  };
  const H = denseHessian(net, params);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      const jp = jac(p), jq = jac(q);
      let v = 0;
      for (let t = 0; t < jp.length; t++) v += jp[t] * jq[t];
      const [pv, pu] = p < r * nCols ? [p, q] : [q, p];
      if (pv < r * nCols && pu >= r * nCols) {
        const j = Math.floor(pv / nCols), b = pv % nCols;
        const a = Math.floor((pu - r * nCols) / r), i = (pu - r * nCols) % r;
        if (i === j) v += R(a, b);
      }
      assert.ok(Math.abs(H[p * n + q] - v) < 1e-13, `H[${p},${q}] = ${H[p * n + q]}, closed form ${v}`);
    }
  }
  // the one-hot data set: point j = e_j, target j = column j of M
  const data = matrixFactorizationData(M);
  assert.equal(data.targets[2 * m + 1], M[1][2]);
});

test('Lanczos top eigenvalues = dense eigendecomposition of the Hessian from n HVPs (321-parameter tanh MLP)', () => {
  const built = model({ kind: 'mlp', hidden: [16, 16], activation: 'tanh', data: { generate: 'chebyshev', n: 32, degree: 3 }, init: { seed: 2 } });
  const net = built.network;
  assert.equal(net.nParams, 321);
  const trained = train(built, { learningRates: [0.1], steps: 300, sharpnessEvery: 0 }).runs[0].finalParams;
  const n = net.nParams;
  const H = denseHessian(net, trained);
  let asym = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) asym = Math.max(asym, Math.abs(H[i * n + j] - H[j * n + i]));
  const ev = symmetricEigenvalues(H, n);
  assert.ok(asym < 1e-12 * ev[n - 1], `HVP Hessian asymmetry ${asym}`);
  assert.ok(ev[0] < 0, 'the Hessian has negative eigenvalues here, so "top" must be algebraic');
  const lz = new Lanczos(n, 80, 3);
  const cold = lz.run((x, out) => net.hvp(trained, x, out), { k: 3, tol: 1e-10 });
  assert.ok(cold.converged);
  for (let i = 0; i < 3; i++) {
    const rel = Math.abs(cold.values[i] - ev[n - 1 - i]) / ev[n - 1];
    assert.ok(rel < 1e-9, `λ_${i + 1}: Lanczos ${cold.values[i]} vs dense ${ev[n - 1 - i]} (rel ${rel})`);
  }
  // warm start: a few steps later, λ_max to 1e-6 relative in far fewer HVPs than the cold run
  const moved = train(built, { learningRates: [0.1], steps: 320, sharpnessEvery: 0 }).runs[0].finalParams;
  const evMoved = symmetricEigenvalues(denseHessian(net, moved), n);
  const warm = lz.run((x, out) => net.hvp(moved, x, out), { k: 1, tol: 1e-6 });
  assert.ok(Math.abs(warm.values[0] - evMoved[n - 1]) / evMoved[n - 1] < 1e-6, `warm λ_max ${warm.values[0]} vs ${evMoved[n - 1]}`);
  assert.ok(warm.matvecs <= 30, `warm start used ${warm.matvecs} HVPs`);
});
