/**
 * When an optimizer's run counts as converged to minimum j — the convergence test of the shared
 * optimizer loop (basin.ts) for each kind of method, as generated source. GD's test (Theorem 2's
 * certified set, else a tolerance ball) stays in basin.ts; this module builds the others:
 *
 * - **Heavy-ball and Nesterov** (state-space test): converged(j) when both ‖p − θ*_j‖ < tol and
 *   the momentum β‖θ_k − θ_{k−1}‖ < tol (tol = fallbackTolerance, 1e-6) — the part of the state
 *   the next step carries: testing it means a trajectory passing through the ball at speed is
 *   never taken for converged (at β = 0 it is GD's ball). The
 *   decision is certified (cert = 1, "entered the certified region") when that state also lies in
 *   the Lyapunov region of minimum j (lyapunov.ts: from there the iterates converge to θ*_j).
 *   Unlike GD's Theorem 2 set, that region does not make the loss monotone — with complex roots
 *   the iterate spirals in and the loss keeps rising and falling — so the run is not stopped at
 *   the region's boundary: loss increases are counted until the state is within the tolerance.
 * - **Adam and RMSProp** (neighbourhood test): at a constant η they do not converge to a point
 *   (the normalised step does not vanish: they hover at the edge of stability), so converged(j)
 *   means: the iterate enters the inner ball ‖θ − θ*_j‖ < r_in and then stays in the outer ball
 *   ‖θ − θ*_j‖ < r_out for NEIGHBOURHOOD_WINDOW consecutive iterates (counting the entry). The
 *   decision is dated at the entry: steps, K and the increase count are those at the entry, so the
 *   loss increases of the hovering that follows are not counted against the approach.
 *   r_in = max(tol, η√n) — the hovering scale (RMSProp settles ~0.7η from the minimum, Adam
 *   within ~0.5η); r_out = max(r_in, σ·η√n) with σ the largest step of one update per
 *   coordinate (RMSProp 1/√(1 − β₂), Adam max(1, (1 − β₁)/√(1 − β₂)), Kingma & Ba §2.1), so an
 *   edge-of-stability excursion after the entry does not undo the decision. An entry not confirmed
 *   by maxSteps falls to the end-of-run classes (cycle, aperiodic, …).
 * Identifiers used (all declared here or by the loop): p*, vel*, mi, cls, sharp, cert, incr, last,
 * k, and nj, nk, nIncr, nLast, nExtra (the neighbourhood candidate).
 */
import { numberLiteral as L } from '../codegen';
import { PixelClass } from '../types';
import type { MomentumCertificateResult } from './lyapunov';
import type { OptimizerRule } from './rule';
import { isAdaptive } from './spec';

/** Iterates the neighbourhood test requires inside the outer ball, counting the entry. */
export const NEIGHBOURHOOD_WINDOW = 100;

export interface ConvergenceTarget {
  minimum: number;
  center: readonly number[];
  /** λ_max at the minimum (the limit sharpness reported on convergence) */
  sharpness: number;
}

/** Radii of the neighbourhood test (module comment). */
export function neighbourhoodRadii(rule: OptimizerRule, n: number, tolerance: number): { inner: number; outer: number } {
  const spec = rule.spec;
  if (!isAdaptive(spec)) return { inner: tolerance, outer: tolerance };
  const sigma = spec.name === 'rmsprop' ? 1 / Math.sqrt(1 - spec.beta2) : Math.max(1, (1 - spec.beta1) / Math.sqrt(1 - spec.beta2));
  const inner = Math.max(tolerance, rule.eta * Math.sqrt(n));
  return { inner, outer: Math.max(inner, sigma * rule.eta * Math.sqrt(n)) };
}

export interface ConvergenceSource {
  /** per-start declarations (before step 0) */
  declare: string;
  /** statements at each iterate: on convergence they set mi, cls, sharp, cert (and k, incr, last for the neighbourhood test) and `break` */
  test: string;
  /** JS expression of the updates run after the decision was dated (0 except for the neighbourhood test), for step counts */
  extraSteps: string;
}

const distance2 = (center: readonly number[]): string => center.map((c, i) => `(p${i} - ${L(c)}) * (p${i} - ${L(c)})`).join(' + ');

/** A hit sets Stable (loop.ts HIT_CLASS); the loop's epilogue makes it Unstable when the loss increased. */
const hit = (minimum: number, sharpness: number, certified: boolean): string =>
  `mi = ${minimum}; cls = ${PixelClass.Stable}; sharp = ${L(sharpness)};${certified ? ' cert = 1;' : ''} break;`;

/**
 * The convergence test of a momentum or adaptive rule over the minima (null for GD, whose test
 * is basin.ts's). `certificates`: momentum regions per minimum (certifyMomentumAll), or null.
 */
export function convergenceSource(
  rule: OptimizerRule,
  n: number,
  targets: readonly ConvergenceTarget[],
  tolerance: number,
  certificates: readonly MomentumCertificateResult[] | null,
): ConvergenceSource | null {
  const spec = rule.spec;
  if (spec.name === 'gd') return null;
  if (spec.name === 'momentum' || spec.name === 'nesterov') {
    const tol2 = L(tolerance * tolerance);
    // the part of the state that carries into the next step is β·vel (at β = 0 the test is GD's ball)
    const velocity2 = `${L(spec.beta * spec.beta)} * (${Array.from({ length: n }, (_, i) => `vel${i} * vel${i}`).join(' + ')})`;
    const tests = targets.map((t) => {
      const result = certificates?.find((c) => (c.ok ? c.certificate.minimum : c.minimum) === t.minimum);
      if (result && result.ok && result.certificate.center.length === n) {
        // inside the tolerance: converged; certified when the state is in the Lyapunov region too
        const c = result.certificate;
        const m = 2 * n;
        const z = [
          ...c.center.map((x, i) => `const z${i} = p${i} - ${L(x)}${c.a === 0 ? '' : ` - ${L(c.a)} * vel${i}`};`),
          ...c.center.map((x, i) => `const z${n + i} = p${i} - ${L(x)} - ${L(c.b)} * vel${i};`),
        ].join(' ');
        const rows = Array.from({ length: m }, (_, i) =>
          `z${i} * (${Array.from({ length: m }, (_, j) => `${L(c.P[i * m + j])} * z${j}`).join(' + ')})`,
        ).join(' + ');
        return `if (${distance2(t.center)} < ${tol2} && ${velocity2} < ${tol2}) { ${z} if (${rows} < ${L(c.level)}) cert = 1; ${hit(t.minimum, t.sharpness, false)} }`;
      }
      return `if (${distance2(t.center)} < ${tol2} && ${velocity2} < ${tol2}) { ${hit(t.minimum, t.sharpness, false)} }`;
    });
    return { declare: '', test: `{ ${tests.join('\n')} }`, extraSteps: '0' };
  }
  // Adam / RMSProp: enter the inner ball, stay in the outer one for the window
  const { inner, outer } = neighbourhoodRadii(rule, n, tolerance);
  const in2 = L(inner * inner);
  const out2 = L(outer * outer);
  const stayed = targets.length === 0 ? 'false' : targets.map((t) => `nj === ${t.minimum} ? ${distance2(t.center)} < ${out2}`).join(' : ') + ' : false';
  const enter = targets.map((t) => `if (nj < 0 && ${distance2(t.center)} < ${in2}) { nj = ${t.minimum}; nk = k; nIncr = incr; nLast = last; }`).join(' ');
  const decide = targets
    .map((t) => `if (nj === ${t.minimum}) { nExtra = k - nk; k = nk; incr = nIncr; last = nLast; ${hit(t.minimum, t.sharpness, false)} }`)
    .join(' ');
  return {
    declare: 'let nj = -1, nk = 0, nIncr = 0, nLast = 0, nExtra = 0;',
    test: `if (nj >= 0 && !(${stayed})) nj = -1;
${enter}
if (nj >= 0 && k - nk + 1 >= ${NEIGHBOURHOOD_WINDOW}) { ${decide} }`,
    extraSteps: 'nExtra',
  };
}
