/*
 * Hand-written C baseline for the issue-13 benchmarks (bench/ir.ts): the basin map of
 * f3 = x⁴y² + x²y⁴ − 3x²y² + 1 (four minima) with the same GD loop and classification rules, in
 * the same order, as the generated JavaScript kernel (src/engine/basin.ts): loss increase, the
 * regions of the minima in order (certified: level test, then ball), divergence, stationary
 * point, step limit. f and ∇f are written out by hand. One core.
 *
 * Usage: f3 W H x0 x1 y0 y1 eta guard guardScale escape2 stationary2 maxSteps repeats R
 *           (cx cy r2 level certified) × R
 * Prints one line: "steps seconds diverged notConverged other stable unstable" (best of `repeats`).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  if (argc < 15) {
    fprintf(stderr, "f3: expected at least 14 arguments, got %d\n", argc - 1);
    return 2;
  }
  const int W = atoi(argv[1]), H = atoi(argv[2]);
  const double x0 = atof(argv[3]), x1 = atof(argv[4]), y0 = atof(argv[5]), y1 = atof(argv[6]);
  const double eta = atof(argv[7]), guard = atof(argv[8]), guardScale = atof(argv[9]);
  const double escape2 = atof(argv[10]), stationary2 = atof(argv[11]);
  const long maxSteps = atol(argv[12]);
  const int repeats = atoi(argv[13]);
  const int R = atoi(argv[14]);
  if (R < 0 || R > 16 || argc != 15 + 5 * R) {
    fprintf(stderr, "f3: expected %d region arguments\n", 5 * R);
    return 2;
  }
  double cx[16], cy[16], r2[16], level[16];
  int certified[16];
  for (int j = 0; j < R; j++) {
    cx[j] = atof(argv[15 + 5 * j]);
    cy[j] = atof(argv[16 + 5 * j]);
    r2[j] = atof(argv[17 + 5 * j]);
    level[j] = atof(argv[18 + 5 * j]);
    certified[j] = atoi(argv[19 + 5 * j]);
  }
  const double eta2 = eta * eta;
  const double dx = (x1 - x0) / W, dy = (y1 - y0) / H;
  uint8_t *classes = malloc((size_t)W * H);
  double best = 1e300;
  long long total = 0;
  for (int rep = 0; rep < repeats; rep++) {
    total = 0;
    const double t0 = now();
    for (int r = 0; r < H; r++) {
      const double y = y1 - (r + 0.5) * dy;
      for (int c = 0; c < W; c++) {
        double p0 = x0 + (c + 0.5) * dx, p1 = y;
        double fPrev = INFINITY;
        long incr = 0, k = 0;
        int cls = 1; /* not converged */
        for (;;) {
          const double xx = p0 * p0, yy = p1 * p1;
          const double f = xx * xx * yy + xx * yy * yy - 3 * xx * yy + 1;
          const double g0 = 4 * xx * p0 * yy + 2 * p0 * yy * yy - 6 * p0 * yy;
          const double g1 = 2 * xx * xx * p1 + 4 * xx * yy * p1 - 6 * xx * p1;
          if (f - fPrev > guard * fabs(fPrev) + guardScale) incr++;
          int hit = -1;
          for (int j = 0; j < R && hit < 0; j++) {
            if (certified[j] && !(f < level[j])) continue;
            const double d0 = p0 - cx[j], d1 = p1 - cy[j];
            if (d0 * d0 + d1 * d1 < r2[j]) hit = j;
          }
          if (hit >= 0) { cls = incr > 0 ? 4 : 3; break; }
          const double n2 = p0 * p0 + p1 * p1;
          if (!(n2 <= escape2) || !(fabs(f) < INFINITY)) { cls = 0; break; }
          if ((g0 * g0 + g1 * g1) * eta2 < stationary2 * (1 + n2)) { cls = 2; break; }
          if (k == maxSteps) { cls = 1; break; }
          fPrev = f;
          p0 -= eta * g0;
          p1 -= eta * g1;
          k++;
        }
        total += k;
        classes[(size_t)r * W + c] = (uint8_t)cls;
      }
    }
    const double dt = now() - t0;
    if (dt < best) best = dt;
  }
  long counts[5] = {0, 0, 0, 0, 0};
  for (long i = 0; i < (long)W * H; i++) counts[classes[i]]++;
  printf("%lld %.9f %ld %ld %ld %ld %ld\n", total, best, counts[0], counts[1], counts[2], counts[3], counts[4]);
  free(classes);
  return 0;
}
