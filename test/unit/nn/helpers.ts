/** Shared helpers of the network tests: small models, dense Hessians from HVPs, norms. */
import { ACTIVATIONS, type ActivationName } from '../../../src/engine/nn/activations';
import { initParameters } from '../../../src/engine/nn/init';
import type { LossName } from '../../../src/engine/nn/losses';
import { prepareModel, type BuiltModel } from '../../../src/engine/nn/model';
import { Network } from '../../../src/engine/nn/network';
import { validateModelSpec } from '../../../src/engine/nn/spec';
import { mulberry32 } from '../../../src/engine/random';

export { ACTIVATIONS };

/** A random small MLP on random data for a loss (classification targets where the loss needs them). */
export function randomNetwork(act: ActivationName, loss: LossName, widths: number[], N: number, seed: number): { net: Network; params: Float64Array } {
  const rnd = mulberry32(seed);
  const din = widths[0];
  const C = widths[widths.length - 1];
  const inputs = new Float64Array(N * din).map(() => rnd() * 2 - 1);
  const targets = loss === 'mse'
    ? new Float64Array(N * C).map(() => rnd() * 2 - 1)
    : new Float64Array(N).map(() => Math.floor(rnd() * (loss === 'logistic' ? 2 : C)));
  const net = new Network({ widths, activation: { name: act, beta: 2.5 }, bias: true, loss, reduction: 'mean' }, { n: N, inputDim: din, outputDim: C, inputs, targets, inputNames: [], targetNames: [] });
  const params = initParameters(net.arch, { seed: seed + 1, scheme: 'lecun', scale: 1.3 });
  return { net, params };
}

/** The dense Hessian (row-major n×n) assembled from n HVPs with the unit vectors. */
export function denseHessian(net: Network, params: Float64Array): Float64Array {
  const n = net.nParams;
  const H = new Float64Array(n * n);
  const e = new Float64Array(n);
  const col = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    e.fill(0);
    e[i] = 1;
    net.hvp(params, e, col);
    for (let j = 0; j < n; j++) H[j * n + i] = col[j];
  }
  return H;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** A model from a plain model block (throws on validation errors). */
export function model(block: unknown): BuiltModel {
  const v = validateModelSpec(block);
  if (v.errors) throw new Error(JSON.stringify(v.errors));
  const b = prepareModel(v.spec);
  if (!b.model) throw new Error(JSON.stringify(b.errors ?? b.csvErrors));
  return b.model;
}
