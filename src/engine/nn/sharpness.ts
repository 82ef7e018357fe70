/**
 * Sharpness of a network at a parameter vector: the top eigenvalue(s) of the Hessian, λ_max(H),
 * and for adaptive optimizers the preconditioned sharpness λ_max(P⁻¹H) with P diagonal (the
 * optimizer's preconditioner of the next step, optimizers/*.ts). P⁻¹H is similar to the symmetric
 * P^{-1/2} H P^{-1/2}, which Lanczos works on. Each kind keeps its own Lanczos instance, so each is
 * warm-started from its own previous vector.
 */
import { Lanczos, type LanczosResult } from './lanczos';
import type { Network } from './network';

export interface SharpnessOptions {
  /** top eigenvalues wanted (default 1) */
  k?: number;
  /** relative accuracy (default 1e-6) */
  tol?: number;
  /** most HVPs per measurement (default 60) */
  maxIter?: number;
}

export class SharpnessMeter {
  private readonly plain: Lanczos;
  private readonly conditioned: Lanczos;
  private readonly u: Float64Array;
  private readonly hu: Float64Array;
  private readonly dinv: Float64Array;
  private readonly k: number;
  private readonly tol: number;
  private readonly maxIter: number;

  constructor(private readonly network: Network, options: SharpnessOptions = {}) {
    const n = network.nParams;
    this.k = options.k ?? 1;
    this.tol = options.tol ?? 1e-6;
    this.maxIter = options.maxIter ?? 60;
    this.plain = new Lanczos(n, this.maxIter, Math.max(this.k, 2));
    this.conditioned = new Lanczos(n, this.maxIter, Math.max(this.k, 2), 54321);
    this.u = new Float64Array(n);
    this.hu = new Float64Array(n);
    this.dinv = new Float64Array(n);
  }

  /** Top-k eigenvalues of ∇²L(params). */
  hessian(params: Float64Array, k = this.k): LanczosResult {
    return this.plain.run((x, out) => this.network.hvp(params, x, out), { k, tol: this.tol, maxIter: this.maxIter });
  }

  /** Top-k eigenvalues of P⁻¹∇²L(params), P = diag(p) with p > 0. */
  preconditioned(params: Float64Array, p: Float64Array, k = this.k): LanczosResult {
    const { u, hu, dinv } = this;
    for (let i = 0; i < dinv.length; i++) dinv[i] = 1 / Math.sqrt(p[i]);
    return this.conditioned.run((x, out) => {
      for (let i = 0; i < u.length; i++) u[i] = dinv[i] * x[i];
      this.network.hvp(params, u, hu);
      for (let i = 0; i < u.length; i++) out[i] = dinv[i] * hu[i];
    }, { k, tol: this.tol, maxIter: this.maxIter });
  }

  /** Unit top eigenvectors of the last {@link hessian} call (k × n, row-major). */
  get hessianVectors(): Float64Array {
    return this.plain.vectors;
  }
}
