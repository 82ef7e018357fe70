/**
 * Test oracles: the optimizers written independently of the engine, as plain step-by-step loops
 * straight from their textbook definitions (the formulas; Kingma & Ba's Algorithm 1;
 * Tieleman & Hinton's RMSProp), on arrays of numbers, with the gradient supplied by the test.
 * Heavy-ball keeps the previous iterate (not a velocity); Nesterov builds y_k = θ_k + β(θ_k − θ_{k−1})
 * and records y_k, the point where the gradient is taken (the engine's iterate).
 */
export type Vec = number[];
export type Grad = (x: Vec) => Vec;

export type ReferenceOptimizer =
  | { name: 'gd' }
  | { name: 'momentum'; beta: number }
  | { name: 'nesterov'; beta: number }
  | { name: 'rmsprop'; beta2: number; epsilon: number; biasCorrection: boolean }
  | { name: 'adam'; beta1: number; beta2: number; epsilon: number; biasCorrection: boolean };

/** The iterates the engine records: θ_0 … θ_steps (Nesterov: y_0 … y_steps). */
export function referenceIterates(opt: ReferenceOptimizer, eta: number, grad: Grad, init: Vec, steps: number): Vec[] {
  const n = init.length;
  const out: Vec[] = [init.slice()];
  switch (opt.name) {
    case 'gd': {
      let x = init.slice();
      for (let k = 0; k < steps; k++) {
        const g = grad(x);
        x = x.map((xi, i) => xi - eta * g[i]);
        out.push(x);
      }
      return out;
    }
    case 'momentum': {
      let prev = init.slice();
      let x = init.slice();
      for (let k = 0; k < steps; k++) {
        const g = grad(x);
        const next = x.map((xi, i) => xi - eta * g[i] + opt.beta * (xi - prev[i]));
        prev = x;
        x = next;
        out.push(x);
      }
      return out;
    }
    case 'nesterov': {
      let prev = init.slice();
      let theta = init.slice();
      for (let k = 0; k < steps; k++) {
        const y = theta.map((t, i) => t + opt.beta * (t - prev[i]));
        const g = grad(y);
        const next = y.map((yi, i) => yi - eta * g[i]);
        prev = theta;
        theta = next;
        out.push(theta.map((t, i) => t + opt.beta * (t - prev[i])));
      }
      return out;
    }
    case 'rmsprop': {
      const x = init.slice();
      const v = new Array<number>(n).fill(0);
      for (let t = 1; t <= steps; t++) {
        const g = grad(x);
        for (let i = 0; i < n; i++) {
          v[i] = opt.beta2 * v[i] + (1 - opt.beta2) * g[i] * g[i];
          const vhat = opt.biasCorrection ? v[i] / (1 - Math.pow(opt.beta2, t)) : v[i];
          x[i] = x[i] - (eta * g[i]) / (Math.sqrt(vhat) + opt.epsilon);
        }
        out.push(x.slice());
      }
      return out;
    }
    case 'adam': {
      const x = init.slice();
      const m = new Array<number>(n).fill(0);
      const v = new Array<number>(n).fill(0);
      for (let t = 1; t <= steps; t++) {
        const g = grad(x);
        for (let i = 0; i < n; i++) {
          m[i] = opt.beta1 * m[i] + (1 - opt.beta1) * g[i];
          v[i] = opt.beta2 * v[i] + (1 - opt.beta2) * g[i] * g[i];
          const mhat = opt.biasCorrection ? m[i] / (1 - Math.pow(opt.beta1, t)) : m[i];
          const vhat = opt.biasCorrection ? v[i] / (1 - Math.pow(opt.beta2, t)) : v[i];
          x[i] = x[i] - (eta * mhat) / (Math.sqrt(vhat) + opt.epsilon);
        }
        out.push(x.slice());
      }
      return out;
    }
  }
}

/** Largest |a − b| / max(1, |b|) over all coordinates of two iterate lists. */
export function maxRelativeGap(a: ArrayLike<number>, b: readonly Vec[]): number {
  const n = b[0].length;
  let worst = 0;
  for (let k = 0; k < b.length; k++) {
    for (let i = 0; i < n; i++) {
      const gap = Math.abs(a[k * n + i] - b[k][i]) / Math.max(1, Math.abs(b[k][i]));
      if (!(gap <= worst)) worst = gap;
    }
  }
  return worst;
}
