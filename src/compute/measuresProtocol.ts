/**
 * Worker messages of the dynamics measures (added to WorkerRequest / WorkerReply in
 * protocol.ts). Plain data; the recorded values are transferred.
 */
import type { OrbitOptions, OrbitPoint } from '../engine/measures/orbit';
import type { ProblemSpec } from '../engine/types';

/** An orbit diagram: every start at every learning rate (see src/engine/measures/orbit.ts). */
export interface OrbitJob {
  spec: ProblemSpec;
  /** full-length points, in variable order */
  starts: number[][];
  etas: number[];
  options: Partial<OrbitOptions>;
}

/** What the worker knows about the problem that the diagram shows (plain data). */
export interface OrbitChunkContext {
  variables: string[];
  minima: { point: number[]; value: number; lambdaMax: number; etaMax: number | null }[];
}

/** The orbits of learning rates etaStart … etaEnd−1 of the job. */
export type MeasuresRequest = { type: 'orbitChunk'; taskId: number; job: OrbitJob; etaStart: number; etaEnd: number; cancel: Int32Array };

export type MeasuresReply = {
  type: 'orbitChunk';
  taskId: number;
  etaStart: number;
  etaEnd: number;
  /** [η][start] for the chunk's learning rates */
  points: OrbitPoint[];
  /** [η][start][k][channel] for the chunk's learning rates */
  values: Float64Array;
  context: OrbitChunkContext;
};
