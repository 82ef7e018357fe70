/**
 * A fully connected network on a fixed data set, as a function of its flat parameter vector:
 * batched forward, reverse-mode gradient and exact Hessian-vector products by Pearlmutter's
 * R-operator (forward-over-reverse), all on preallocated Float64Array workspaces — nothing is
 * allocated per call after construction.
 *
 * Layer l (1..L) maps A_{l−1} (N×d_{l−1}) to Z_l = A_{l−1} W_lᵀ + b_l, A_l = σ(Z_l) for hidden
 * layers and A_L = Z_L (linear output). The loss (losses.ts) is applied to Z_L.
 *
 * Flat parameter layout (see {@link parameterLayout}): for l = 1..L, W_l row-major (d_l × d_{l−1},
 * row i = the incoming weights of unit i), then b_l (d_l) when the model has biases.
 *
 * HVP (R-operator, v = (V_l, c_l)):
 *   R{Z_l} = R{A_{l−1}} W_lᵀ + A_{l−1} V_lᵀ + c_l,   R{A_l} = σ'(Z_l) ⊙ R{Z_l}
 *   R{δ_L} = ∂²L/∂Z_L² · R{Z_L}
 *   Hv_W = R{δ_l}ᵀ A_{l−1} + δ_lᵀ R{A_{l−1}},   Hv_b = Σ_n R{δ_l}
 *   R{δ_{l−1}} = σ''(Z_{l−1}) ⊙ R{Z_{l−1}} ⊙ (δ_l W_l) + σ'(Z_{l−1}) ⊙ (R{δ_l} W_l + δ_l V_l)
 * The primal pass (Z, A, σ', δ) is cached by parameter value, so the many HVPs of one Lanczos
 * run at the same point cost one forward-and-backward in total plus about two gradients each.
 */
import { activate, activationSecond, type Activation } from './activations';
import { columnSums, gemmAB, gemmABt, gemmAtB } from './kernels';
import { lossForward, lossHessianTimes, type LossName } from './losses';

export interface Architecture {
  /** d_0 (inputs), hidden widths…, d_L (outputs; the class count for cross-entropy) */
  widths: number[];
  /** activation of every hidden layer (the output layer is linear) */
  activation: Activation;
  bias: boolean;
  loss: LossName;
  /** mean over the data points (scale 1/N) or their sum (scale 1) */
  reduction: 'mean' | 'sum';
}

/** A data set in the layout the network reads. */
export interface Dataset {
  /** number of points N */
  n: number;
  inputDim: number;
  /** outputs the targets describe: columns for mse, 1 for logistic, the class count for cross-entropy */
  outputDim: number;
  /** N × inputDim, row-major */
  inputs: Float64Array;
  /** mse: N × outputDim; logistic: N values 0/1; cross-entropy: N class indices */
  targets: Float64Array;
  inputNames: string[];
  targetNames: string[];
}

/** One block of the flat parameter vector. */
export interface ParamBlock {
  /** 'W1', 'b1', 'W2', … */
  name: string;
  kind: 'weight' | 'bias';
  /** 1-based layer index */
  layer: number;
  offset: number;
  rows: number;
  cols: number;
}

export function parameterLayout(arch: Architecture): { blocks: ParamBlock[]; nParams: number } {
  const blocks: ParamBlock[] = [];
  let offset = 0;
  for (let l = 1; l < arch.widths.length; l++) {
    const rows = arch.widths[l];
    const cols = arch.widths[l - 1];
    blocks.push({ name: `W${l}`, kind: 'weight', layer: l, offset, rows, cols });
    offset += rows * cols;
    if (arch.bias) {
      blocks.push({ name: `b${l}`, kind: 'bias', layer: l, offset, rows, cols: 1 });
      offset += rows;
    }
  }
  return { blocks, nParams: offset };
}

export class Network {
  readonly nParams: number;
  readonly layout: ParamBlock[];
  /** number of forward-and-backward passes and HVPs done (for cost accounting) */
  gradientCount = 0;
  hvpCount = 0;

  private readonly L: number;
  private readonly N: number;
  private readonly widths: number[];
  private readonly wOff: number[];
  private readonly bOff: number[];
  private readonly scale: number;
  private readonly z: Float64Array[];
  private readonly a: Float64Array[];
  private readonly d1: Float64Array[];
  private readonly d2: Float64Array[];
  private readonly delta: Float64Array[];
  private readonly dA: Float64Array[];
  private readonly rz: Float64Array[];
  private readonly ra: Float64Array[];
  private readonly rdelta: Float64Array[];
  private readonly rdA: Float64Array;
  private readonly aux: Float64Array;
  private readonly cached: Float64Array;
  private readonly scratchGrad: Float64Array;
  private cacheValid = false;
  private cacheHasSecond = false;
  private cachedLoss = NaN;

  constructor(readonly arch: Architecture, readonly data: Dataset) {
    const { widths } = arch;
    if (widths.length < 2) throw new RangeError('a network needs at least an input and an output width');
    if (widths[0] !== data.inputDim) throw new RangeError(`the network takes ${widths[0]} inputs but the data has ${data.inputDim}`);
    if (widths[widths.length - 1] !== data.outputDim) throw new RangeError(`the network has ${widths[widths.length - 1]} outputs but the data needs ${data.outputDim}`);
    this.widths = widths.slice();
    this.L = widths.length - 1;
    this.N = data.n;
    const { blocks, nParams } = parameterLayout(arch);
    this.layout = blocks;
    this.nParams = nParams;
    this.wOff = [0];
    this.bOff = [0];
    for (const b of blocks) (b.kind === 'weight' ? this.wOff : this.bOff)[b.layer] = b.offset;
    this.scale = arch.reduction === 'mean' ? 1 / data.n : 1;
    const N = this.N;
    const perLayer = (from: number, to: number): Float64Array[] => widths.map((d, l) => (l >= from && l <= to ? new Float64Array(N * d) : new Float64Array(0)));
    const L = this.L;
    this.z = perLayer(1, L);
    this.a = perLayer(1, L - 1);
    this.a[0] = data.inputs;
    this.a[L] = this.z[L];
    this.d1 = perLayer(1, L - 1);
    this.d2 = perLayer(1, L - 1);
    this.delta = perLayer(1, L);
    this.dA = perLayer(1, L - 1);
    this.rz = perLayer(1, L);
    this.ra = perLayer(1, L - 1);
    this.rdelta = perLayer(1, L);
    this.rdA = new Float64Array(N * Math.max(...widths));
    this.aux = new Float64Array(N * widths[L]);
    this.cached = new Float64Array(nParams);
    this.scratchGrad = new Float64Array(nParams);
  }

  /** The loss at `params` (forward pass only). */
  loss(params: Float64Array): number {
    this.checkLength(params);
    this.cacheValid = false;
    return this.forward(params, false, null);
  }

  /** Fills `grad` with ∇L(params) and returns L(params); caches the primal pass for {@link hvp}. */
  lossAndGradient(params: Float64Array, grad: Float64Array): number {
    this.checkLength(params);
    if (grad.length !== this.nParams) throw new RangeError(`gradient buffer has ${grad.length} entries, need ${this.nParams}`);
    this.gradientCount++;
    const { L, N, widths, wOff, bOff, delta, a, d1, dA } = this;
    const value = this.forward(params, true, delta[L]);
    grad.fill(0);
    for (let l = L; l >= 1; l--) {
      gemmAtB(delta[l], a[l - 1], grad, wOff[l], N, widths[l], widths[l - 1]);
      if (this.arch.bias) columnSums(delta[l], grad, bOff[l], N, widths[l]);
      if (l > 1) {
        const dAl = dA[l - 1];
        gemmAB(delta[l], params, wOff[l], dAl, N, widths[l], widths[l - 1], false);
        const dl = delta[l - 1];
        const s = d1[l - 1];
        for (let i = 0; i < N * widths[l - 1]; i++) dl[i] = s[i] * dAl[i];
      }
    }
    this.cached.set(params);
    this.cacheValid = true;
    this.cacheHasSecond = false;
    this.cachedLoss = value;
    return value;
  }

  /** out = ∇²L(params) · v, exactly (R-operator). Reuses the primal pass when params are unchanged. */
  hvp(params: Float64Array, v: Float64Array, out: Float64Array): void {
    this.checkLength(params);
    if (v.length !== this.nParams || out.length !== this.nParams) throw new RangeError(`HVP buffers must have ${this.nParams} entries`);
    if (!this.cacheMatches(params)) this.lossAndGradient(params, this.scratchGrad);
    this.hvpCount++;
    const { L, N, widths, wOff, bOff, z, a, d1, d2, delta, dA, rz, ra, rdelta, rdA } = this;
    const bias = this.arch.bias;
    if (!this.cacheHasSecond) {
      for (let l = 1; l < L; l++) activationSecond(this.arch.activation, z[l], a[l], d1[l], d2[l], N * widths[l]);
      this.cacheHasSecond = true;
    }
    // R-forward
    for (let l = 1; l <= L; l++) {
      const P = widths[l - 1];
      const Q = widths[l];
      if (l === 1) {
        gemmABt(a[0], v, wOff[1], rz[1], N, P, Q, false, bias ? v : null, bOff[1]);
      } else {
        gemmABt(ra[l - 1], params, wOff[l], rz[l], N, P, Q, false, null, 0);
        gemmABt(a[l - 1], v, wOff[l], rz[l], N, P, Q, true, bias ? v : null, bOff[l]);
      }
      if (l < L) {
        const r = rz[l], s = d1[l], o = ra[l];
        for (let i = 0; i < N * Q; i++) o[i] = s[i] * r[i];
      }
    }
    lossHessianTimes(this.arch.loss, rz[L], N, widths[L], this.scale, this.aux, rdelta[L]);
    // R-backward
    out.fill(0);
    for (let l = L; l >= 1; l--) {
      const P = widths[l - 1];
      const Q = widths[l];
      gemmAtB(rdelta[l], a[l - 1], out, wOff[l], N, Q, P);
      if (l > 1) gemmAtB(delta[l], ra[l - 1], out, wOff[l], N, Q, P);
      if (bias) columnSums(rdelta[l], out, bOff[l], N, Q);
      if (l > 1) {
        gemmAB(rdelta[l], params, wOff[l], rdA, N, Q, P, false);
        gemmAB(delta[l], v, wOff[l], rdA, N, Q, P, true);
        const rd = rdelta[l - 1], s1 = d1[l - 1], s2 = d2[l - 1], r = rz[l - 1], g = dA[l - 1];
        for (let i = 0; i < N * P; i++) rd[i] = s2[i] * r[i] * g[i] + s1[i] * rdA[i];
      }
    }
  }

  /** The loss of the cached primal pass at `params`, or NaN when the cache is for another point. */
  cachedLossAt(params: Float64Array): number {
    return this.cacheMatches(params) ? this.cachedLoss : NaN;
  }

  private forward(params: Float64Array, withDerivative: boolean, g: Float64Array | null): number {
    const { L, N, widths, wOff, bOff, z, a, d1 } = this;
    for (let l = 1; l <= L; l++) {
      gemmABt(a[l - 1], params, wOff[l], z[l], N, widths[l - 1], widths[l], false, this.arch.bias ? params : null, bOff[l]);
      if (l < L) activate(this.arch.activation, z[l], a[l], withDerivative ? d1[l] : null, N * widths[l]);
    }
    return lossForward(this.arch.loss, z[L], this.data.targets, N, widths[L], this.scale, g, this.aux);
  }

  private cacheMatches(params: Float64Array): boolean {
    if (!this.cacheValid) return false;
    const c = this.cached;
    for (let i = 0; i < c.length; i++) if (c[i] !== params[i]) return false;
    return true;
  }

  private checkLength(params: Float64Array): void {
    if (params.length !== this.nParams) throw new RangeError(`parameter vector has ${params.length} entries, the network has ${this.nParams}`);
  }
}
