/**
 * Seeded parameter initialisation. Weights are normal with standard deviation
 *   lecun:  scale · √(1/fan_in)
 *   he:     scale · √(2/fan_in)
 *   xavier: scale · √(2/(fan_in + fan_out))   (Glorot normal)
 * and biases start at zero. Same seed, same architecture → the same vector, on every platform.
 */
import { mulberry32 } from '../random';
import { parameterLayout, type Architecture } from './network';

export const INIT_SCHEMES = ['lecun', 'he', 'xavier'] as const;
export type InitScheme = (typeof INIT_SCHEMES)[number];

export interface InitSpec {
  seed: number;
  scheme: InitScheme;
  scale: number;
}

/** A standard normal generator (Box–Muller on mulberry32), deterministic per seed. */
export function normalSampler(seed: number): () => number {
  const uniform = mulberry32(seed);
  let spare = NaN;
  return () => {
    if (!Number.isNaN(spare)) {
      const s = spare;
      spare = NaN;
      return s;
    }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** Standard deviation of a weight block with the given fan-in and fan-out. */
export function initStd(init: InitSpec, fanIn: number, fanOut: number): number {
  switch (init.scheme) {
    case 'lecun':
      return init.scale * Math.sqrt(1 / fanIn);
    case 'he':
      return init.scale * Math.sqrt(2 / fanIn);
    case 'xavier':
      return init.scale * Math.sqrt(2 / (fanIn + fanOut));
  }
}

export function initParameters(arch: Architecture, init: InitSpec): Float64Array {
  const { blocks, nParams } = parameterLayout(arch);
  const params = new Float64Array(nParams);
  const normal = normalSampler(init.seed);
  for (const b of blocks) {
    if (b.kind !== 'weight') continue;
    const std = initStd(init, b.cols, b.rows);
    for (let i = 0; i < b.rows * b.cols; i++) params[b.offset + i] = std * normal();
  }
  return params;
}
