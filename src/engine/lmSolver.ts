/**
 * The Levenberg–Marquardt + Newton solver of the critical-point search (critical.ts, step 2):
 * one instance per search, its scratch buffers reused by every start. Norms are scaled (no
 * overflow or underflow of the squares) and progress is judged by whether the iterate moves at
 * all, so subnormal and huge windows work like any other.
 */
import { choleskySolve, luSolve } from './linalg';
import { scaledNorm } from './roundoff';
import type { CompiledObjective } from './types';

function allFinite(v: ArrayLike<number>): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}

/** The search state shared by all starts of a critical-point search (scratch buffers, box, objective). */
export class Solver {
  readonly n: number;
  private readonly g: Float64Array;
  private readonly gNew: Float64Array;
  private readonly h: Float64Array;
  private readonly a: Float64Array;
  private readonly rhs: Float64Array;
  private readonly d: Float64Array;
  private readonly xNew: Float64Array;
  private readonly work: Float64Array;
  private readonly residual: Float64Array;
  /** never set here: this solver does no early de-duplication (krylovSolver.ts does) */
  readonly joined = false;

  constructor(
    private readonly obj: CompiledObjective,
    private readonly lo: Float64Array,
    private readonly width: Float64Array,
  ) {
    const n = obj.n;
    this.n = n;
    this.g = new Float64Array(n);
    this.gNew = new Float64Array(n);
    this.h = new Float64Array(n * n);
    this.a = new Float64Array(n * n);
    this.rhs = new Float64Array(n);
    this.d = new Float64Array(n);
    this.xNew = new Float64Array(n);
    this.work = new Float64Array(n * n + n);
    this.residual = new Float64Array(n);
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
   * Levenberg–Marquardt on ∇f = 0 from x (modified in place), then Newton polish.
   * Returns ‖∇f‖ at the final x, or Infinity if the start was abandoned. Norms are scaled and
   * progress is judged by whether x moves at all, so subnormal windows work like any other.
   */
  solve(x: Float64Array, maxIterations: number): number {
    const { n, g, gNew, h, a, rhs, d, xNew, work, obj, residual } = this;
    const f0 = obj.valueAndGradient(x, g);
    if (!Number.isFinite(f0) || !allFinite(g)) return Infinity;
    let gn = scaledNorm(g);
    obj.hessian(x, h);
    if (!allFinite(h)) return Infinity;
    let mu = -1;
    let nu = 2;
    for (let it = 0; it < maxIterations && gn > 0; it++) {
      // a = H² (= HᵀH, H symmetric), rhs = −H g  (g scaled by 1/‖g‖: the step is scaled back)
      let maxDiag = 0;
      for (let i = 0; i < n; i++) {
        let r = 0;
        for (let k = 0; k < n; k++) r += h[i * n + k] * (g[k] / gn);
        rhs[i] = -r;
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += h[i * n + k] * h[j * n + k];
          a[i * n + j] = s;
          a[j * n + i] = s;
        }
        maxDiag = Math.max(maxDiag, a[i * n + i]);
      }
      if (mu < 0) mu = 1e-3 * (maxDiag > 0 ? maxDiag : 1);
      if (!(maxDiag > 0) && mu < 1e-300) mu = 1e-300;
      for (let i = 0; i < n; i++) a[i * n + i] += mu;
      if (!choleskySolve(a, rhs, n, d, work)) {
        mu *= nu;
        nu *= 2;
        if (!Number.isFinite(mu)) break;
        continue;
      }
      let moved = false;
      for (let i = 0; i < n; i++) {
        d[i] *= gn;
        xNew[i] = x[i] + d[i];
        if (xNew[i] !== x[i]) moved = true;
      }
      if (!moved) break; // no representable progress left
      // predicted ‖g + H d‖ (relative to ‖g‖)
      for (let i = 0; i < n; i++) {
        let r = g[i];
        for (let k = 0; k < n; k++) r += h[i * n + k] * d[k];
        residual[i] = r;
      }
      const predicted = scaledNorm(residual) / gn;
      const fNew = this.escaped(xNew) ? NaN : obj.valueAndGradient(xNew, gNew);
      const gnNew = Number.isFinite(fNew) && allFinite(gNew) ? scaledNorm(gNew) : Infinity;
      if (gnNew < gn) {
        const q = gnNew / gn;
        const rho = (1 - q * q) / Math.max(1 - predicted * predicted, 1e-300);
        x.set(xNew);
        g.set(gNew);
        gn = gnNew;
        obj.hessian(x, h);
        if (!allFinite(h)) return Infinity;
        mu *= Math.max(1 / 3, 1 - Math.pow(2 * Math.min(rho, 1) - 1, 3));
        nu = 2;
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

  /** Up to `steps` Newton steps from x (in place), each accepted only while ‖∇f‖ decreases. */
  polish(x: Float64Array, gn: number, steps: number): number {
    const { n, g, gNew, h, rhs, d, xNew, work, obj } = this;
    if (!Number.isFinite(obj.valueAndGradient(x, g))) return Infinity;
    obj.hessian(x, h);
    for (let it = 0; it < steps && gn > 0; it++) {
      for (let i = 0; i < n; i++) rhs[i] = -g[i];
      if (!allFinite(h) || !luSolve(h, rhs, n, d, work)) break;
      for (let i = 0; i < n; i++) xNew[i] = x[i] + d[i];
      const fNew = obj.valueAndGradient(xNew, gNew);
      if (!Number.isFinite(fNew) || !allFinite(gNew)) break;
      const gnNew = scaledNorm(gNew);
      if (!(gnNew < gn)) break;
      x.set(xNew);
      g.set(gNew);
      gn = gnNew;
      obj.hessian(x, h);
    }
    return gn;
  }
}

