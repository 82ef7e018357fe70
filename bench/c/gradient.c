/*
 * Hand-written C baseline for the issue-13 benchmarks (bench/ir.ts): f and ∇f of a sum of terms
 * read from stdin, evaluated at `points` points, the way a person writes it for such an
 * objective: one loop over a term table, each term adding its value and its partial derivatives.
 * Term kinds: 0 (w_i − w_j)², 1 c·w_i·w_j, 2 c·sin(w_i).
 *
 * Usage: gradient N points < terms   (terms: "count" then "kind i j c" per line)
 * Prints one line: "seconds checksum" (best of 5).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  const int n = atoi(argv[1]);
  const long points = atol(argv[2]);
  int count;
  if (scanf("%d", &count) != 1 || count <= 0) return 2;
  int *kind = malloc(sizeof(int) * count), *ti = malloc(sizeof(int) * count), *tj = malloc(sizeof(int) * count);
  double *tc = malloc(sizeof(double) * count);
  for (int t = 0; t < count; t++) {
    if (scanf("%d %d %d %lf", &kind[t], &ti[t], &tj[t], &tc[t]) != 4) return 2;
  }
  double *w = malloc(sizeof(double) * n), *g = malloc(sizeof(double) * n);
  double best = 1e300, checksum = 0;
  for (int rep = 0; rep < 5; rep++) {
    checksum = 0;
    const double t0 = now();
    for (long p = 0; p < points; p++) {
      for (int i = 0; i < n; i++) { w[i] = sin(0.1 * i + 1e-3 * p); g[i] = 0; }
      double f = 0;
      for (int t = 0; t < count; t++) {
        const int i = ti[t], j = tj[t];
        if (kind[t] == 0) {
          const double d = w[i] - w[j];
          f += d * d;
          g[i] += 2 * d;
          g[j] -= 2 * d;
        } else if (kind[t] == 1) {
          f += tc[t] * w[i] * w[j];
          g[i] += tc[t] * w[j];
          g[j] += tc[t] * w[i];
        } else {
          f += tc[t] * sin(w[i]);
          g[i] += tc[t] * cos(w[i]);
        }
      }
      checksum += f + g[p % n];
    }
    const double dt = now() - t0;
    if (dt < best) best = dt;
  }
  printf("%.9f %.17g\n", best, checksum);
  return 0;
}
