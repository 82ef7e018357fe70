"""NumPy baseline for `npm run bench`: the f1 basin map vectorised over all pixels, the way a
researcher would write it — one array operation per term per GD step, masks for the pixels still
running, finished pixels dropped from the arrays — with the same classification rules as the
generated JavaScript kernel (src/engine/classify.ts).

Usage: python3 numpy_baseline.py W H x0 x1 y0 y1 eta guard guardScale escape2 stationary2 maxSteps cx cy r2 level certified repeats
Prints one line: "steps seconds diverged notConverged other stable unstable" (best of `repeats`).
"""
import sys
import time

import numpy as np


def run(W, H, x0, x1, y0, y1, eta, guard, guard_scale, escape2, stationary2, max_steps, cx, cy, r2, level, certified):
    dx, dy = (x1 - x0) / W, (y1 - y0) / H
    xs = x0 + (np.arange(W) + 0.5) * dx
    ys = y1 - (np.arange(H) + 0.5) * dy
    p0, p1 = (a.ravel().copy() for a in np.meshgrid(xs, ys))
    idx = np.arange(W * H)
    classes = np.ones(W * H, dtype=np.uint8)  # not converged unless decided
    incr = np.zeros(W * H, dtype=np.int64)
    f_prev = np.zeros(W * H)
    eta2 = eta * eta
    steps = 0
    with np.errstate(all="ignore"):
        for k in range(max_steps + 1):
            xx, yy = p0 * p0, p1 * p1
            f = xx + yy + xx * p1 + xx * p0 + yy * p1
            g0 = 2 * p0 + 2 * p0 * p1 + 3 * xx
            g1 = 2 * p1 + xx + 3 * yy
            if k > 0:
                incr += (f - f_prev > guard * np.abs(f_prev) + guard_scale)
            d0, d1 = p0 - cx, p1 - cy
            conv = d0 * d0 + d1 * d1 < r2
            if certified:
                conv &= f < level
            n2 = p0 * p0 + p1 * p1
            div = ~conv & (~(n2 <= escape2) | ~(np.abs(f) < np.inf))
            other = ~conv & ~div & ((g0 * g0 + g1 * g1) * eta2 < stationary2 * (1 + n2))
            classes[idx[conv]] = np.where(incr[conv] > 0, 4, 3)
            classes[idx[div]] = 0
            classes[idx[other]] = 2
            done = conv | div | other
            steps += k * int(done.sum())
            if k == max_steps:
                steps += k * int((~done).sum())
                break
            keep = ~done
            idx, p0, p1, g0, g1, f, incr = idx[keep], p0[keep], p1[keep], g0[keep], g1[keep], f[keep], incr[keep]
            if idx.size == 0:
                break
            f_prev = f
            p0 = p0 - eta * g0
            p1 = p1 - eta * g1
    return steps, classes


def main():
    a = sys.argv[1:]
    if len(a) != 18:
        print(f"numpy_baseline: expected 18 arguments, got {len(a)}", file=sys.stderr)
        sys.exit(2)
    W, H = int(a[0]), int(a[1])
    nums = [float(v) for v in a[2:11]]
    max_steps = int(a[11])
    cx, cy, r2, level = (float(v) for v in a[12:16])
    certified, repeats = int(a[16]) != 0, int(a[17])
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        steps, classes = run(W, H, *nums, max_steps, cx, cy, r2, level, certified)
        best = min(best, time.perf_counter() - t0)
    counts = np.bincount(classes, minlength=5)
    print(steps, f"{best:.9f}", *counts[:5])


if __name__ == "__main__":
    main()
