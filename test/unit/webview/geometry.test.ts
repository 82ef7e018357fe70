import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ballInSlice, canvasToCoord, canvasToPixel, coordToCanvas, coordToPixel, dragToWindow, niceTicks, pixelToCoord, projectIterates, sliceStart,
} from '../../../webview/lib/geometry';

const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('pixel centres follow the basin contract (top row = largest y)', () => {
  // 4×4 map of [-2, 2]²: pixel width 1, centres at ±0.5, ±1.5
  assert.deepEqual(pixelToCoord(0, 0, 4, 4, [-2, 2], [-2, 2]), [-1.5, 1.5]);
  assert.deepEqual(pixelToCoord(3, 3, 4, 4, [-2, 2], [-2, 2]), [1.5, -1.5]);
  assert.deepEqual(pixelToCoord(2, 1, 4, 4, [-2, 2], [-2, 2]), [0.5, 0.5]);
});

test('coordToPixel inverts pixelToCoord and rejects outside points', () => {
  for (let c = 0; c < 7; c++) for (let r = 0; r < 5; r++) {
    const [x, y] = pixelToCoord(c, r, 7, 5, [-3, 1], [0.5, 2]);
    assert.deepEqual(coordToPixel(x, y, 7, 5, [-3, 1], [0.5, 2]), [c, r]);
  }
  assert.equal(coordToPixel(1.01, 1, 7, 5, [-3, 1], [0.5, 2]), null);
  assert.equal(coordToPixel(0, 0.4, 7, 5, [-3, 1], [0.5, 2]), null);
});

test('canvas ↔ coordinates round-trip inside a plot rectangle', () => {
  const plot = { left: 40, top: 10, width: 200, height: 100 };
  assert.deepEqual(coordToCanvas(-3, 3, plot, [-3, 3], [-1, 3]), [40, 10]);
  assert.deepEqual(coordToCanvas(3, -1, plot, [-3, 3], [-1, 3]), [240, 110]);
  const [x, y] = canvasToCoord(140, 60, plot, [-3, 3], [-1, 3]);
  close(x, 0);
  close(y, 1);
  assert.deepEqual(canvasToPixel(40, 10, plot, 4, 2), [0, 0]);
  assert.deepEqual(canvasToPixel(239.9, 109.9, plot, 4, 2), [3, 1]);
  assert.equal(canvasToPixel(39, 50, plot, 4, 2), null);
});

test('niceTicks: 1-2-5 steps inside the range', () => {
  assert.deepEqual(niceTicks(-3, 3, 6), [-3, -2, -1, 0, 1, 2, 3]);
  assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(0.13, 0.47, 4), [0.2, 0.3, 0.4]);
  assert.deepEqual(niceTicks(1, 1), []);
});

test('dragToWindow maps a rectangle (any direction) to coordinates; tiny drags are clicks', () => {
  const plot = { left: 0, top: 0, width: 100, height: 100 };
  const w = dragToWindow(75, 75, 25, 25, plot, [-2, 2], [-2, 2]);
  assert.ok(w);
  assert.deepEqual(w.xRange, [-1, 1]);
  assert.deepEqual(w.yRange, [-1, 1]);
  const clamped = dragToWindow(-50, 50, 50, 150, plot, [0, 1], [0, 1]);
  assert.ok(clamped);
  assert.deepEqual(clamped.xRange, [0, 0.5]);
  assert.deepEqual(clamped.yRange, [0, 0.5]);
  assert.equal(dragToWindow(10, 10, 12, 40, plot, [0, 1], [0, 1]), null);
});

test('sliceStart and projectIterates use the slice axes', () => {
  assert.deepEqual(sliceStart([1, 2, 3], [2, 0], 7, 8), [8, 2, 7]);
  const xy = projectIterates([1, 2, 3, 4, 5, 6], 3, [2, 0]);
  assert.deepEqual([...xy], [3, 1, 6, 4]);
});

test('ballInSlice: a 3-D ball cut by a plane off its centre', () => {
  // ball radius 0.5 around (0, 0, 0.3), plane z = 0: circle radius sqrt(0.25 − 0.09) = 0.4
  const c = ballInSlice([0, 0, 0.3], 0.5, [9, 9, 0], [0, 1]);
  assert.ok(c);
  close(c.r, 0.4);
  assert.equal(c.cx, 0);
  assert.equal(ballInSlice([0, 0, 0.6], 0.5, [0, 0, 0], [0, 1]), null);
  const flat = ballInSlice([1, 2], 0.25, [1, 2], [0, 1]);
  assert.deepEqual(flat, { cx: 1, cy: 2, r: 0.25 });
});
