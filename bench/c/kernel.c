/*
 * Hand-written C baseline for `npm run bench`: the basin map of f1 = x²+y²+x²y+x³+y³ with the
 * same GD loop and the same classification rules, in the same order, as the generated JavaScript
 * kernel (src/engine/classify.ts, src/engine/basin.ts): loss-increase test, certified region of
 * the minimum, divergence, stationary point, step limit. f and ∇f are written out by hand.
 *
 * Usage: kernel W H x0 x1 y0 y1 eta guard guardScale escape2 stationary2 maxSteps cx cy r2 level certified repeats
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
  if (argc != 19) {
    fprintf(stderr, "kernel: expected 18 arguments, got %d\n", argc - 1);
    return 2;
  }
  const int W = atoi(argv[1]), H = atoi(argv[2]);
  const double x0 = atof(argv[3]), x1 = atof(argv[4]), y0 = atof(argv[5]), y1 = atof(argv[6]);
  const double eta = atof(argv[7]), guard = atof(argv[8]), guardScale = atof(argv[9]);
  const double escape2 = atof(argv[10]), stationary2 = atof(argv[11]);
  const long maxSteps = atol(argv[12]);
  const double cx = atof(argv[13]), cy = atof(argv[14]), r2 = atof(argv[15]);
  const double level = atof(argv[16]);
  const int certified = atoi(argv[17]);
  const int repeats = atoi(argv[18]);
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
        double fPrev = 0;
        long incr = 0, k = 0;
        int cls = 1; /* not converged */
        for (;;) {
          const double xx = p0 * p0, yy = p1 * p1;
          const double f = xx + yy + xx * p1 + xx * p0 + yy * p1;
          const double g0 = 2 * p0 + 2 * p0 * p1 + 3 * xx;
          const double g1 = 2 * p1 + xx + 3 * yy;
          if (k > 0 && f - fPrev > guard * fabs(fPrev) + guardScale) incr++;
          const double d0 = p0 - cx, d1 = p1 - cy;
          if (d0 * d0 + d1 * d1 < r2 && (!certified || f < level)) { cls = incr > 0 ? 4 : 3; break; }
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
