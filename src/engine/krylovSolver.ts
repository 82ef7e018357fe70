/**
 * The critical-point search's Levenberg–Marquardt + Newton solver for many variables
 * (critical.ts picks it above {@link MATRIX_FREE_ABOVE} variables when the objective has
 * Hessian-vector products): the same iteration as lmSolver.ts — the step d solves
 * (H² + μI) d = −H∇f, Nielsen's μ update, then Newton polish — but each step is the minimiser of
 * ‖H d + ∇f‖² + μ‖d‖², found by CGLS on products H·v (krylov.ts), so no n×n matrix is formed or
 * factorised. The initial μ is 10⁻³‖H ĝ‖² (ĝ = ∇f/‖∇f‖), the matrix-free stand-in for 10⁻³ of
 * the largest diagonal entry of H² that the dense solver uses.
 */
import { allFinite, cgls, CglsScratch } from './krylov';
import { scaledNorm } from './roundoff';
import type { CompiledObjective } from './types';

/** Above this many variables the search goes matrix-free (when the objective has ∇²f·v). */
export const MATRIX_FREE_ABOVE = 20;

/** Relative tolerance of the inner CGLS solves (a Newton step needs little more near a root). */
const INNER_TOLERANCE = 1e-10;
/**
 * Levenberg–Marquardt stops once a step moves no coordinate by more than this fraction of the
 * box width: what is left is for the Newton polish, and a coordinate converging to 0 (which
 * would otherwise be followed down to the subnormals) is snapped to 0 by the search.
 */
export const STEP_STOP = 1e-13;

/** The search state shared by all starts (scratch buffers, box, objective), matrix-free. */
export class KrylovSolver {
  readonly n: number;
  private readonly g: Float64Array;
  private readonly gNew: Float64Array;
  private readonly b: Float64Array;
  private readonly d: Float64Array;
  private readonly xNew: Float64Array;
  private readonly hv: Float64Array;
  private readonly scratch: CglsScratch;
  /** the point the products are taken at */
  private readonly at: Float64Array;
  private readonly apply: (v: Float64Array, out: Float64Array) => void;
  /** inner iterations per solve: 2n + 10 (n is exact in exact arithmetic; CGLS in floating point needs more) */
  private readonly innerIterations: number;
  /** Hessian-vector products used so far (for reports and benchmarks) */
  products = 0;
  /** the last solve stopped early because its iterate came near a known point (`near`) */
  joined = false;

  constructor(
    private readonly obj: CompiledObjective,
    private readonly lo: Float64Array,
    private readonly width: Float64Array,
  ) {
    const n = obj.n;
    const hvp = obj.hessianVectorProduct;
    if (!hvp) throw new Error('the matrix-free search needs Hessian-vector products');
    this.n = n;
    this.g = new Float64Array(n);
    this.gNew = new Float64Array(n);
    this.b = new Float64Array(n);
    this.d = new Float64Array(n);
    this.xNew = new Float64Array(n);
    this.hv = new Float64Array(n);
    this.at = new Float64Array(n);
    this.scratch = new CglsScratch(n);
    this.innerIterations = 2 * n + 10;
    this.apply = (v, out) => {
      this.products++;
      hvp.call(obj, this.at, v, out);
    };
  }

  /** ‖∇f(x)‖ (Infinity if not finite; scaled, so no underflow of the squares). */
  gradientNorm(x: Float64Array): number {
    const f = this.obj.valueAndGradient(x, this.g);
    if (!Number.isFinite(f) || !allFinite(this.g)) return Infinity;
    return scaledNorm(this.g);
  }

  private escaped(x: Float64Array): boolean {
    for (let i = 0; i < this.n; i++) {
      const u = (x[i] - this.lo[i]) / this.width[i];
      if (!(u > -2 && u < 3)) return true;
    }
    return false;
  }

  /**
   * Levenberg–Marquardt on ∇f = 0 from x (modified in place), then Newton polish; see the module
   * comment. Returns ‖∇f‖ at the final x, or Infinity if the start was abandoned. When `near`
   * says an iterate has come near a critical point found already, the start stops there and
   * `joined` is set (early de-duplication: the rest of the way would lead to that point).
   */
  solve(x: Float64Array, maxIterations: number, near?: (x: Float64Array) => boolean): number {
    const { n, g, gNew, b, d, xNew, hv, obj, scratch } = this;
    this.joined = false;
    const f0 = obj.valueAndGradient(x, g);
    if (!Number.isFinite(f0) || !allFinite(g)) return Infinity;
    let gn = scaledNorm(g);
    let mu = -1;
    let nu = 2;
    this.at.set(x);
    for (let it = 0; it < maxIterations && gn > 0; it++) {
      for (let i = 0; i < n; i++) b[i] = -g[i] / gn;
      if (mu < 0) {
        this.apply(b, hv);
        const scale = scaledNorm(hv);
        if (!Number.isFinite(scale)) return Infinity;
        mu = 1e-3 * (scale > 0 ? scale * scale : 1);
        if (!(mu > 0)) mu = 1e-300;
      }
      const inner = cgls(this.apply, b, mu, d, scratch, this.innerIterations, INNER_TOLERANCE);
      if (!inner.ok) {
        mu *= nu;
        nu *= 2;
        if (!Number.isFinite(mu)) break;
        continue;
      }
      let moved = false;
      let reach = 0;
      for (let i = 0; i < n; i++) {
        d[i] *= gn;
        xNew[i] = x[i] + d[i];
        if (xNew[i] !== x[i]) moved = true;
        reach = Math.max(reach, Math.abs(d[i]) / this.width[i]);
      }
      if (!moved) break; // no representable progress left
      const predicted = inner.residual; // ‖ĝ + H d̂‖, relative to ‖g‖
      const fNew = this.escaped(xNew) ? NaN : obj.valueAndGradient(xNew, gNew);
      const gnNew = Number.isFinite(fNew) && allFinite(gNew) ? scaledNorm(gNew) : Infinity;
      if (gnNew < gn) {
        const q = gnNew / gn;
        const rho = (1 - q * q) / Math.max(1 - predicted * predicted, 1e-300);
        x.set(xNew);
        g.set(gNew);
        gn = gnNew;
        this.at.set(x);
        mu *= Math.max(1 / 3, 1 - Math.pow(2 * Math.min(rho, 1) - 1, 3));
        nu = 2;
        if (near && near(x)) {
          this.joined = true;
          return gn;
        }
        if (reach <= STEP_STOP) break;
      } else {
        mu *= nu;
        nu *= 2;
        if (!Number.isFinite(mu) || mu > 1e300) break;
      }
      if (this.escaped(x)) return Infinity;
    }
    gn = this.polish(x, gn, 8);
    return this.escaped(x) ? Infinity : gn;
  }

  /**
   * Up to `steps` Newton steps from x (in place), each the minimum-norm least-squares solution of
   * H d = −∇f by CGLS, accepted only while ‖∇f‖ decreases and while it moves a coordinate that
   * is not within 10⁻¹² of the box width of 0 (those the search snaps to 0 itself).
   */
  polish(x: Float64Array, gn: number, steps: number): number {
    const { n, g, gNew, b, d, xNew, obj, scratch } = this;
    if (!Number.isFinite(obj.valueAndGradient(x, g))) return Infinity;
    for (let it = 0; it < steps && gn > 0; it++) {
      this.at.set(x);
      for (let i = 0; i < n; i++) b[i] = -g[i] / gn;
      const inner = cgls(this.apply, b, 0, d, scratch, this.innerIterations, INNER_TOLERANCE);
      if (!inner.ok) break;
      let moved = false;
      for (let i = 0; i < n; i++) {
        xNew[i] = x[i] + d[i] * gn;
        if (xNew[i] !== x[i] && Math.abs(x[i]) > 1e-12 * this.width[i]) moved = true;
      }
      if (!moved) break;
      const fNew = obj.valueAndGradient(xNew, gNew);
      if (!Number.isFinite(fNew) || !allFinite(gNew)) break;
      const gnNew = scaledNorm(gNew);
      if (!(gnNew < gn)) break;
      x.set(xNew);
      g.set(gNew);
      gn = gnNew;
    }
    return gn;
  }
}
