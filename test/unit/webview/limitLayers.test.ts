import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeProblem } from '../../../src/engine/analyze';
import { createBasinKernel } from '../../../src/engine/basin';
import { certifyAll } from '../../../src/engine/certificate';
import { DEFAULT_CLASSIFY } from '../../../src/engine/classify';
import { MinimumCode, PixelClass } from '../../../src/engine/types';
import type { SliceSpec } from '../../../src/engine/types';
import { bytesToBase64, float32ToBase64, uint32ToBase64 } from '../../../src/shared/base64';
import type { HostToWebview } from '../../../src/shared/protocol';
import { classColor, createMapData, insertRows, renderMap } from '../../../webview/lib/colors';
import type { MapData } from '../../../webview/lib/colors';
import {
  ABOVE_EDGE, MEDIAN_BINS, NO_LIMIT_GREY, PERIOD_GROUPS, barPosition, paleGrey, periodGroup, periodShares, plasma, sharpnessScale,
} from '../../../webview/lib/limitLayers';
import { decodeRows } from '../../../webview/state/mainMap';
import { uint16ToBase64 } from '../../../src/shared/optimizerMessages';

/** plotly's Plasma: matplotlib's plasma sampled at k/9 (an independent table of the same colour map). */
const PLASMA_REF = ['#0d0887', '#46039f', '#7201a8', '#9c179e', '#bd3786', '#d8576b', '#ed7953', '#fb9f3a', '#fdca26', '#f0f921'];
const hex = (h: string): number[] => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
const near = (a: readonly number[], b: readonly number[], tol: number): boolean => a.every((v, i) => Math.abs(v - b[i]) <= tol);

test('plasma follows matplotlib’s colour map within 5/255 at every tenth-ish sample, clamps outside [0, 1]', () => {
  PLASMA_REF.forEach((h, k) => {
    const got = plasma(k / 9);
    assert.ok(near(got, hex(h), 5), `plasma(${k}/9) = ${got} vs ${h}`);
  });
  assert.deepEqual(plasma(-1), plasma(0));
  assert.deepEqual(plasma(2), plasma(1));
  assert.deepEqual(plasma(NaN), plasma(0));
});

/** A 1-row map of the given pixels at η. */
function rowMap(eta: number, pixels: { cls: number; min?: number; sharp?: number; period?: number }[]): MapData {
  const n = pixels.length;
  const map = createMapData(n, 1, eta);
  insertRows(map, 0, 1, Uint8Array.from(pixels.map((p) => p.cls)), Int8Array.from(pixels.map((p) => p.min ?? -1)),
    new Uint32Array(n), new Uint32Array(n), Float32Array.from(pixels.map((p) => p.sharp ?? NaN)), Uint8Array.from(pixels.map((p) => p.period ?? 0)));
  return map;
}

function rgbaAt(out: Uint8Array, i: number): number[] {
  return [out[4 * i], out[4 * i + 1], out[4 * i + 2], out[4 * i + 3]];
}

test('sharpness layer: flattest limit point dark, 2/η bright yellow, beyond 2/η red, no limit grey, diverged in its class colour', () => {
  // η = 0.4: 2/η = 5; limit points at λ = 4, 4.5, 5 and (round-off) 5.01
  const map = rowMap(0.4, [
    { cls: PixelClass.Stable, min: MinimumCode.Set, sharp: 4 },
    { cls: PixelClass.Unstable, min: MinimumCode.Set, sharp: 4.5 },
    { cls: PixelClass.Stable, min: 0, sharp: 5 },
    { cls: PixelClass.Unstable, min: MinimumCode.Set, sharp: 5.01 },
    { cls: PixelClass.Diverged },
    { cls: PixelClass.Cycle, period: 2 },
    { cls: PixelClass.StillDescending },
    // a converged pixel without a limit sharpness (an older host) cannot be placed on the scale
    { cls: PixelClass.Stable, min: 0 },
  ]);
  const scale = sharpnessScale(map);
  assert.ok(scale);
  assert.equal(scale.edge, 5);
  assert.equal(scale.lo, 4);
  assert.ok(Math.abs(scale.hi - 5.01) < 1e-6);
  assert.equal(scale.count, 4);
  assert.equal(scale.above, 1);
  const out = new Uint8Array(4 * 8);
  renderMap(map, 'sharpness', 'paper', out);
  assert.ok(near(rgbaAt(out, 0), [...hex(PLASMA_REF[0]), 255], 2), 'λ = lo: plasma(0)');
  assert.ok(near(rgbaAt(out, 1).slice(0, 3), hex('#cc4778'), 4), `λ halfway to 2/η: plasma(0.5) = #cc4778, got ${rgbaAt(out, 1)}`);
  assert.ok(near(rgbaAt(out, 2).slice(0, 3), hex(PLASMA_REF[9]), 2), 'λ = 2/η: plasma(1)');
  assert.deepEqual(rgbaAt(out, 3).slice(0, 3), [...ABOVE_EDGE]);
  assert.deepEqual(rgbaAt(out, 4).slice(0, 3), [255, 255, 255], 'diverged: paper white');
  assert.deepEqual(rgbaAt(out, 5).slice(0, 3), [...NO_LIMIT_GREY]);
  assert.deepEqual(rgbaAt(out, 6).slice(0, 3), [...NO_LIMIT_GREY]);
  assert.deepEqual(rgbaAt(out, 7).slice(0, 3), [...NO_LIMIT_GREY]);
  // colour-blind scheme: diverged keeps the scheme's own colour
  renderMap(map, 'sharpness', 'colorblind', out);
  assert.deepEqual(rgbaAt(out, 4).slice(0, 3), [...classColor('colorblind', PixelClass.Diverged, -1)]);
  assert.ok(Math.abs(barPosition(scale, 5) - (5 - 4) / (5.01 - 4)) < 1e-6, '2/η sits at (5 − 4)/(5.01 − 4) of the bar');
  assert.equal(sharpnessScale(rowMap(0.4, [{ cls: PixelClass.Diverged }])), null, 'nothing converged: no scale');
});

test('sharpness scale: median within its bin width of the sorted median, extremes exact', () => {
  let seed = 7;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pixels = Array.from({ length: 5001 }, () => ({ cls: rand() < 0.8 ? PixelClass.Stable : PixelClass.Diverged, min: MinimumCode.Set, sharp: 4 + 14 * rand() ** 3 }));
  const map = rowMap(0.1, pixels);
  const values = Float32Array.from(pixels.filter((p) => p.cls === PixelClass.Stable).map((p) => p.sharp)).sort();
  const scale = sharpnessScale(map);
  assert.ok(scale);
  assert.equal(scale.count, values.length);
  assert.equal(scale.min, values[0]);
  assert.equal(scale.max, values[values.length - 1]);
  const median = values.length % 2 ? values[(values.length - 1) / 2] : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
  assert.ok(Math.abs(scale.median - median) <= (scale.max - scale.min) / MEDIAN_BINS, `${scale.median} vs ${median}`);
  assert.equal(scale.hi, 20, 'the top of the bar is 2/η when every limit point is flatter');
});

test('period layer: each period its own colour, other pixels greyed by luminance', () => {
  const map = rowMap(0.5, [
    { cls: PixelClass.Cycle, period: 2 }, { cls: PixelClass.Cycle, period: 3 }, { cls: PixelClass.Cycle, period: 12 },
    { cls: PixelClass.Cycle, period: 64 }, { cls: PixelClass.Stable, min: 0 }, { cls: PixelClass.Diverged },
  ]);
  const out = new Uint8Array(4 * 6);
  renderMap(map, 'period', 'paper', out);
  assert.deepEqual(rgbaAt(out, 0).slice(0, 3), [31, 119, 180]);
  assert.deepEqual(rgbaAt(out, 1).slice(0, 3), [255, 127, 14]);
  assert.deepEqual(rgbaAt(out, 2).slice(0, 3), [...PERIOD_GROUPS[periodGroup(12)].color]);
  assert.equal(PERIOD_GROUPS[periodGroup(12)].label, 'period 9–16');
  assert.equal(PERIOD_GROUPS[periodGroup(64)].label, 'period 17–64');
  // cyan (0, 255, 255): Rec. 709 luminance 0.7152·255 + 0.0722·255 = 200.787, halfway to white → 228
  assert.deepEqual(rgbaAt(out, 4).slice(0, 3), [228, 228, 228]);
  assert.deepEqual(paleGrey([255, 255, 255]), [255, 255, 255]);
  assert.equal(periodGroup(0), -1);
  assert.equal(periodGroup(65), -1);
  const shares = periodShares(map);
  assert.equal(shares[0], 1 / 6);
  assert.equal(shares[1], 1 / 6);
  assert.equal(shares.reduce((a, b) => a + b, 0), 4 / 6);
});

/** Plain GD on (1 − xy)² from (x, y) until the step is below 1e-13 (or 100,000 steps); null if it escapes. */
function limitOfGd(x: number, y: number, eta: number): [number, number] | null {
  for (let k = 0; k < 100_000; k++) {
    const r = 1 - x * y;
    const gx = -2 * y * r;
    const gy = -2 * x * r;
    x -= eta * gx;
    y -= eta * gy;
    if (!(Math.abs(x) < 1e6 && Math.abs(y) < 1e6)) return null;
    if (eta * Math.hypot(gx, gy) < 1e-13) return [x, y];
  }
  return null;
}

/**
 * (1 − xy)² has the curve of minima xy = 1 with λ_max = 2(x² + y²) there. The engine's rows go
 * through the wire format (encoded as the host encodes them, decoded as the webview decodes them)
 * into the map; its sharpness scale must match an independent GD loop, and a larger η must leave
 * flatter limit points (the point of the layer).
 */
test('(1 − xy)²: the layer’s limit sharpness matches 2(x² + y²) at an independent GD limit, and a larger η selects flatter points', () => {
  const problem = analyzeProblem({ expression: '(1 - x*y)^2', domain: [[-3, 3], [-3, 3]] });
  const side = 14;
  const slice: SliceSpec = { axes: [0, 1], base: [0, 0], xRange: [-3, 3], yRange: [-3, 3], width: side, height: side };
  const medians: number[] = [];
  for (const eta of [0.1, 0.4]) {
    const rows = createBasinKernel(problem, slice, eta, { ...DEFAULT_CLASSIFY, maxSteps: 20_000 }, certifyAll(problem, eta)).runRows(0, side);
    assert.ok(rows);
    const msg: Extract<HostToWebview, { type: 'basinRows' }> = {
      type: 'basinRows', requestId: 1, rowStart: 0, rowEnd: side, width: side,
      classes: bytesToBase64(rows.classes), minimum: bytesToBase64(rows.minimum), steps: uint32ToBase64(rows.steps),
      unstableSteps: uint32ToBase64(rows.unstableSteps), limitSharpness: float32ToBase64(rows.limitSharpness), period: bytesToBase64(rows.period),
      increases: uint16ToBase64(rows.increases),
      progress: { rowsDone: side, rowsTotal: side, fraction: 1, pixelsPerSecond: 1 },
    };
    const map = createMapData(side, side, eta);
    insertRows(map, 0, side, ...decodeRows(msg));
    const independent: number[] = [];
    let checked = 0;
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        const i = r * side + c;
        const x = -3 + ((c + 0.5) / side) * 6;
        const y = 3 - ((r + 0.5) / side) * 6; // the top row is the largest y
        const cls = map.classes[i];
        if (cls !== PixelClass.Stable && cls !== PixelClass.Unstable) continue;
        assert.equal(map.minimum[i], MinimumCode.Set, `(${x}, ${y}) converged to the curve, not a listed minimum`);
        const limit = limitOfGd(x, y, eta);
        assert.ok(limit, `plain GD from (${x}, ${y}) at η = ${eta} converges too`);
        const lambda = 2 * (limit[0] ** 2 + limit[1] ** 2);
        independent.push(lambda);
        assert.ok(Math.abs(map.limitSharpness[i] - lambda) <= 1e-3 * lambda, `(${x}, ${y}) η = ${eta}: ${map.limitSharpness[i]} vs 2(x²+y²) = ${lambda}`);
        checked++;
      }
    }
    assert.ok(checked > 20, `${checked} converged starts at η = ${eta}`);
    const scale = sharpnessScale(map);
    assert.ok(scale);
    assert.ok(scale.max <= 2 / eta * (1 + 1e-6), `no limit point sharper than 2/η = ${2 / eta}: max ${scale.max}`);
    independent.sort((a, b) => a - b);
    assert.ok(Math.abs(scale.min - independent[0]) <= 1e-3 * independent[0]);
    medians.push(scale.median);
  }
  assert.ok(medians[1] < medians[0], `median limit sharpness falls from η = 0.1 to 0.4: ${medians.join(' → ')}`);
});
