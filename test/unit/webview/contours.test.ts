import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Expr } from '../../../src/engine/types';
import { bindObjective, certifiedOutline, contourLevels, marchingSquares, sampleField, sliceFunction } from '../../../webview/lib/contours';
import { validateExpr } from '../../../src/shared/protocolValidation';

const v = (i: number): Expr => ({ k: 'var', i });
const n = (value: number): Expr => ({ k: 'num', v: value });
const add = (a: Expr, b: Expr): Expr => ({ k: 'add', a, b });
const mul = (a: Expr, b: Expr): Expr => ({ k: 'mul', a, b });
const pow = (a: Expr, b: Expr): Expr => ({ k: 'pow', a, b });
/** x² + y² in IR */
const bowl = add(pow(v(0), n(2)), pow(v(1), n(2)));

function endpointsRadii(seg: Float64Array): number[] {
  const r: number[] = [];
  for (let k = 0; k < seg.length; k += 2) r.push(Math.hypot(seg[k], seg[k + 1]));
  return r;
}

function totalLength(seg: Float64Array): number {
  let len = 0;
  for (let k = 0; k < seg.length; k += 4) len += Math.hypot(seg[k + 2] - seg[k], seg[k + 3] - seg[k + 1]);
  return len;
}

test('bindObjective maps IR variables to the problem order by name', () => {
  // IR over [y, x]: f = y + 10·x² ; the problem orders variables [x, y]
  const expr = add(v(0), mul(n(10), pow(v(1), n(2))));
  const f = bindObjective(expr, ['y', 'x'], ['x', 'y']);
  assert.equal(f([2, 3]), 3 + 40);
  assert.throws(() => bindObjective(expr, ['y', 'z'], ['x', 'y']), /"z"/);
  const g = sliceFunction(f, [0, 0, 7], [1, 0]);
  assert.equal(g(5, 1), 5 + 10);
});

test('marching squares traces the circle x² + y² = 1 (length 2π, endpoints on the circle)', () => {
  const f = bindObjective(bowl, ['x', 'y'], ['x', 'y']);
  const field = sampleField(sliceFunction(f, [0, 0], [0, 1]), [-2, 2], [-2, 2], 81, 81);
  const seg = marchingSquares(field, 1);
  assert.ok(seg.length > 0);
  for (const r of endpointsRadii(seg)) assert.ok(Math.abs(r - 1) < 0.01, `endpoint at radius ${r}`);
  assert.ok(Math.abs(totalLength(seg) - 2 * Math.PI) < 0.01, `length ${totalLength(seg)}`);
  assert.equal(marchingSquares(field, -1).length, 0, 'no level below the minimum');
});

test('marching squares: saddle cell gives two segments; NaN cells are skipped', () => {
  // 2×2 grid, corners a=TL b=TR c=BR d=BL: a, c high; b, d low (code 10)
  const field = { nx: 2, ny: 2, xRange: [0, 1] as [number, number], yRange: [0, 1] as [number, number], values: Float64Array.of(1, 0, 0, 1) };
  // values row-major from the top: [a, b, d, c] = [1, 0, 0, 1]
  assert.equal(marchingSquares(field, 0.5).length, 8);
  const nan = { ...field, values: Float64Array.of(1, NaN, 0, 1) };
  assert.equal(marchingSquares(nan, 0.5).length, 0);
});

test('contour levels: increasing, between the minimum and the 90th percentile', () => {
  const field = sampleField((x, y) => x * x + y * y, [-1, 1], [-1, 1], 21, 21);
  const levels = contourLevels(field, 5);
  assert.equal(levels.length, 5);
  for (let i = 1; i < levels.length; i++) assert.ok(levels[i] > levels[i - 1]);
  assert.ok(levels[0] > 0 && levels[4] < 2);
});

test('certified outline = ball ∩ {f < c}: whichever constraint binds', () => {
  const f = bindObjective(bowl, ['x', 'y'], ['x', 'y']);
  // f < 0.09 is the disc of radius 0.3, inside the ball of radius 0.5
  for (const r of endpointsRadii(certifiedOutline(f, [0, 0], 0.5, 0.09, [0, 0], [0, 1], 101))) assert.ok(Math.abs(r - 0.3) < 0.005, `r = ${r}`);
  // f < 1 contains the ball: the outline is the ball
  for (const r of endpointsRadii(certifiedOutline(f, [0, 0], 0.5, 1, [0, 0], [0, 1], 101))) assert.ok(Math.abs(r - 0.5) < 0.005, `r = ${r}`);
});

test('validateExpr accepts the IR and rejects unknown kinds, functions and variables', () => {
  assert.equal(validateExpr(bowl, 2), bowl);
  assert.throws(() => validateExpr({ k: 'call', fn: 'eval', a: n(1) }, 1), /fn: expected one of/);
  assert.throws(() => validateExpr({ k: 'js', code: 'alert(1)' }, 1), /unknown node kind/);
  assert.throws(() => validateExpr(v(2), 2), /variable 2 of 2/);
  let deep: Expr = v(0);
  for (let i = 0; i < 600; i++) deep = { k: 'neg', a: deep };
  assert.throws(() => validateExpr(deep, 1), /nested too deeply/);
});
