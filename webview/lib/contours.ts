/**
 * Pure contour geometry (no DOM): the objective evaluated from its IR on a grid of the slice
 * (a tree-walking interpreter: no generated code, fine under the webview's CSP), marching squares,
 * contour levels, and the outline of Theorem 2's certified set {‖θ−θ*‖ < t′, f(θ) < c}.
 */
import { evaluateExpr } from '../../src/engine/expr';
import type { Expr } from '../../src/engine/types';
import type { Range } from './geometry';

/** f as a function of a full-length point in the analysis' variable order. */
export type Objective = (point: readonly number[]) => number;

/** Binds an IR (whose variable i is irVariables[i]) to points ordered as `variables`. */
export function bindObjective(expr: Expr, irVariables: readonly string[], variables: readonly string[]): Objective {
  const index = irVariables.map((name) => {
    const i = variables.indexOf(name);
    if (i < 0) throw new Error(`the objective uses "${name}", which is not one of the problem's variables (${variables.join(', ')})`);
    return i;
  });
  const x = new Float64Array(irVariables.length);
  return (point) => {
    for (let i = 0; i < index.length; i++) x[i] = point[index[i]];
    return evaluateExpr(expr, x);
  };
}

/** A scalar field sampled at the nodes of an nx × ny grid over a window (row 0 = top = largest y). */
export interface Field {
  nx: number;
  ny: number;
  xRange: Range;
  yRange: Range;
  values: Float64Array;
}

export function sampleField(
  fn: (x: number, y: number) => number, xRange: Range, yRange: Range, nx: number, ny: number,
): Field {
  const values = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    const y = yRange[1] - (j * (yRange[1] - yRange[0])) / (ny - 1);
    for (let i = 0; i < nx; i++) {
      const x = xRange[0] + (i * (xRange[1] - xRange[0])) / (nx - 1);
      values[j * nx + i] = fn(x, y);
    }
  }
  return { nx, ny, xRange, yRange, values };
}

/** f on the slice through `base` along `axes`. */
export function sliceFunction(f: Objective, base: readonly number[], axes: readonly [number, number]): (x: number, y: number) => number {
  const p = base.slice();
  return (x, y) => {
    p[axes[0]] = x;
    p[axes[1]] = y;
    return f(p);
  };
}

/**
 * Marching squares: segments of the level set {v = level} as [x0, y0, x1, y1, …] in the field's
 * coordinates (linear interpolation along cell edges; saddle cells resolved by the cell mean).
 * Cells with a non-finite corner are skipped.
 */
export function marchingSquares(field: Field, level: number): Float64Array {
  const { nx, ny, values, xRange, yRange } = field;
  const out: number[] = [];
  const dx = (xRange[1] - xRange[0]) / (nx - 1);
  const dy = (yRange[1] - yRange[0]) / (ny - 1);
  const X = (i: number): number => xRange[0] + i * dx;
  const Y = (j: number): number => yRange[1] - j * dy;
  for (let j = 0; j < ny - 1; j++) {
    for (let i = 0; i < nx - 1; i++) {
      const a = values[j * nx + i]; // top-left
      const b = values[j * nx + i + 1]; // top-right
      const c = values[(j + 1) * nx + i + 1]; // bottom-right
      const d = values[(j + 1) * nx + i]; // bottom-left
      if (!(Number.isFinite(a) && Number.isFinite(b) && Number.isFinite(c) && Number.isFinite(d))) continue;
      const code = (a > level ? 8 : 0) | (b > level ? 4 : 0) | (c > level ? 2 : 0) | (d > level ? 1 : 0);
      if (code === 0 || code === 15) continue;
      const t = (p: number, q: number): number => (level - p) / (q - p);
      // crossing points on the four edges
      const top = (): [number, number] => [X(i + t(a, b)), Y(j)];
      const right = (): [number, number] => [X(i + 1), Y(j + t(b, c))];
      const bottom = (): [number, number] => [X(i + t(d, c)), Y(j + 1)];
      const left = (): [number, number] => [X(i), Y(j + t(a, d))];
      const seg = (p: [number, number], q: [number, number]): void => {
        out.push(p[0], p[1], q[0], q[1]);
      };
      switch (code) {
        case 1: case 14: seg(left(), bottom()); break;
        case 2: case 13: seg(bottom(), right()); break;
        case 3: case 12: seg(left(), right()); break;
        case 4: case 11: seg(top(), right()); break;
        case 6: case 9: seg(top(), bottom()); break;
        case 7: case 8: seg(left(), top()); break;
        case 5: case 10: {
          const centreHigh = (a + b + c + d) / 4 > level;
          // code 5: b and d high; code 10: a and c high
          if ((code === 5) === centreHigh) {
            seg(left(), top());
            seg(bottom(), right());
          } else {
            seg(top(), right());
            seg(left(), bottom());
          }
          break;
        }
      }
    }
  }
  return Float64Array.from(out);
}

/**
 * `count` contour levels between the field's minimum and its 90th percentile, spaced
 * quadratically (denser near the minima, where the basins are decided).
 */
export function contourLevels(field: Field, count: number): number[] {
  const finite = Array.from(field.values).filter(Number.isFinite).sort((p, q) => p - q);
  if (finite.length === 0 || count < 1) return [];
  const lo = finite[0];
  const hi = finite[Math.floor(0.9 * (finite.length - 1))];
  if (!(hi > lo)) return [];
  return Array.from({ length: count }, (_, k) => lo + (hi - lo) * ((k + 1) / (count + 1)) ** 2);
}

/**
 * Outline of the certified set {‖θ−θ*‖ < t′, f(θ) < c} on the slice: the zero level of
 * max(‖θ−θ*‖ − t′, f(θ) − c), sampled on an n × n grid over the ball's bounding box.
 */
export function certifiedOutline(
  f: Objective, center: readonly number[], tPrime: number, c: number, base: readonly number[], axes: readonly [number, number], n = 64,
): Float64Array {
  const p = base.slice();
  let off = 0;
  for (let i = 0; i < center.length; i++) if (i !== axes[0] && i !== axes[1]) off += (base[i] - center[i]) ** 2;
  const fieldFn = (x: number, y: number): number => {
    p[axes[0]] = x;
    p[axes[1]] = y;
    const dist = Math.sqrt((x - center[axes[0]]) ** 2 + (y - center[axes[1]]) ** 2 + off);
    return Math.max(dist - tPrime, f(p) - c);
  };
  const r = tPrime * 1.1;
  const field = sampleField(fieldFn, [center[axes[0]] - r, center[axes[0]] + r], [center[axes[1]] - r, center[axes[1]] + r], n, n);
  return marchingSquares(field, 0);
}
