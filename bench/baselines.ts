/**
 * Baselines for `npm run bench`: the naive mathjs loop (in this process), the hand-written C
 * kernel and the vectorised NumPy loop (child processes). All three apply the classification
 * contract of src/engine/classify.ts with the constants of the engine's own kernel
 * (stepConstants), so they decide every pixel by the same rules.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { compile, derivative } from 'mathjs';
import type { StepConstants } from '../src/engine/basin';
import { PixelClass, type SliceSpec } from '../src/engine/types';

export interface BaselineRun {
  steps: number;
  seconds: number;
  /** pixels by class code 0..4 */
  counts: number[];
  /** e.g. the NumPy version */
  detail?: string;
}

/**
 * The naive loop a typical developer writes: mathjs-compiled f and ∂f/∂x, ∂f/∂y, each
 * `evaluate({ x, y })`d at every step, the classification written out plainly. Runs the pixels
 * `pixels` (indices into the map) until `budgetSeconds` is spent; returns steps, time and the
 * classes of the pixels it finished.
 */
export function naiveMathjs(
  expression: string,
  slice: SliceSpec,
  k: StepConstants,
  pixels: readonly number[],
  budgetSeconds: number,
): { steps: number; seconds: number; classes: Map<number, number> } {
  const fC = compile(expression);
  const gxC = compile(derivative(expression, 'x').toString());
  const gyC = compile(derivative(expression, 'y').toString());
  const dx = (slice.xRange[1] - slice.xRange[0]) / slice.width;
  const dy = (slice.yRange[1] - slice.yRange[0]) / slice.height;
  const classes = new Map<number, number>();
  let steps = 0;
  const started = performance.now();
  for (const pixel of pixels) {
    if ((performance.now() - started) / 1000 > budgetSeconds) break;
    const row = Math.floor(pixel / slice.width);
    const col = pixel % slice.width;
    let x = slice.xRange[0] + (col + 0.5) * dx;
    let y = slice.yRange[1] - (row + 0.5) * dy;
    let fPrev = 0;
    let increases = 0;
    let cls: number = PixelClass.NotConverged;
    let step = 0;
    for (;;) {
      const f = fC.evaluate({ x, y }) as number;
      const gx = gxC.evaluate({ x, y }) as number;
      const gy = gyC.evaluate({ x, y }) as number;
      if (step > 0 && f - fPrev > k.guard * Math.abs(fPrev) + k.guardScale) increases++;
      let converged = false;
      for (const region of k.regions) {
        const d0 = x - region.center[0];
        const d1 = y - region.center[1];
        if (d0 * d0 + d1 * d1 < region.radius2 && (!region.certified || f < region.level)) {
          cls = increases > 0 ? PixelClass.Unstable : PixelClass.Stable;
          converged = true;
          break;
        }
      }
      if (converged) break;
      const n2 = x * x + y * y;
      if (!(n2 <= k.escape2) || !Number.isFinite(f)) {
        cls = PixelClass.Diverged;
        break;
      }
      if ((gx * gx + gy * gy) * k.eta2 < k.stationary2 * (1 + n2)) {
        cls = PixelClass.Other;
        break;
      }
      if (step === k.maxSteps) {
        cls = PixelClass.NotConverged;
        break;
      }
      fPrev = f;
      x -= k.eta * gx;
      y -= k.eta * gy;
      step++;
    }
    steps += step;
    classes.set(pixel, cls);
  }
  return { steps, seconds: (performance.now() - started) / 1000, classes };
}

/** The argument list shared by the C and NumPy f1 baselines. */
function f1Arguments(slice: SliceSpec, k: StepConstants, repeats: number): string[] {
  if (k.regions.length !== 1) throw new Error('the f1 baselines expect exactly one minimum');
  const r = k.regions[0];
  const level = Number.isFinite(r.level) ? r.level : 0;
  return [
    slice.width, slice.height, slice.xRange[0], slice.xRange[1], slice.yRange[0], slice.yRange[1],
    k.eta, k.guard, k.guardScale, k.escape2, k.stationary2, k.maxSteps,
    r.center[0], r.center[1], r.radius2, level, r.certified ? 1 : 0, repeats,
  ].map((v) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(17)) : String(v)));
}

function parseRun(text: string): BaselineRun {
  const parts = text.trim().split(/\s+/).map(Number);
  if (parts.length !== 7 || parts.some((v) => !Number.isFinite(v))) throw new Error(`unexpected baseline output '${text.trim()}'`);
  return { steps: parts[0], seconds: parts[1], counts: parts.slice(2) };
}

/** Compiles bench/c/kernel.c with `cc -O2` and runs it on f1; { skipped } without cc. */
export function cKernel(slice: SliceSpec, k: StepConstants, repeats: number): BaselineRun | { skipped: string } {
  const cc = spawnSync('cc', ['--version'], { encoding: 'utf8' });
  if (cc.status !== 0) return { skipped: 'no C compiler (cc) found' };
  const source = path.join(__dirname, 'c', 'kernel.c');
  const binary = path.join(mkdtempSync(path.join(tmpdir(), 'gdlab-bench-')), 'kernel');
  execFileSync('cc', ['-O2', '-o', binary, source, '-lm'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return parseRun(execFileSync(binary, f1Arguments(slice, k, repeats), { encoding: 'utf8' }));
}

/** Runs bench/numpy_baseline.py on f1 with python3 + NumPy; { skipped } if unavailable. */
export function numpyLoop(slice: SliceSpec, k: StepConstants, repeats: number): BaselineRun | { skipped: string } {
  // python3 on PATH first (it may be a pyenv/venv with NumPy), then the system one (python3-numpy)
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
    if (probe.status !== 0) continue;
    const script = path.join(__dirname, 'numpy_baseline.py');
    const out = execFileSync(python, [script, ...f1Arguments(slice, k, repeats)], { encoding: 'utf8' });
    return { ...parseRun(out), detail: `NumPy ${probe.stdout.trim()}` };
  }
  return { skipped: 'no python3 with NumPy (try apt-get install -y python3-numpy)' };
}
