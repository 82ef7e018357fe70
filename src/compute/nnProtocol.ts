/**
 * Worker messages of the network jobs (added to WorkerRequest / WorkerReply in protocol.ts):
 * training runs (one task per learning rate, progress streamed as partial replies), the 2-D slice
 * of a trained network (its plane once, then rows spread over the workers) and the sharpness at a
 * parameter vector. Plain data: the model travels as its validated spec plus the CSV text; each
 * worker builds (and caches) the network itself. Typed arrays of results are transferred.
 */
import type { ModelSpec } from '../engine/nn/spec';
import type { OptimizerSpec } from '../engine/nn/optimizers';
import type { SliceOptions, SliceRow, SliceSetup } from '../engine/nn/slices';
import type { TrainPartial, TrainRun } from '../engine/nn/train';
import type { ModelSummary } from '../engine/nn/model';

/** A model as data: the validated spec, the CSV text when the data is a file, and a cache key. */
export interface NetworkModelData {
  spec: ModelSpec;
  csv?: { name: string; text: string };
  /** identifies spec + data (workers cache built networks by it); see networkModelKey */
  key: string;
}

/** Training at several learning rates (each from the same θ_0; the runs are independent). */
export interface TrainJob {
  model: NetworkModelData;
  learningRates: number[];
  steps: number;
  optimizer?: OptimizerSpec;
  sharpnessEvery?: number;
  topK?: number;
  lanczosTol?: number;
  roundoffGuard?: number;
  /**
   * Stop-and-keep flag (an Int32Array over a SharedArrayBuffer, shared with the workers): when set
   * to 1, running runs end as 'cancelled' with what they computed and later runs are not started.
   * The job then resolves (the AbortSignal, in contrast, rejects and drops everything).
   */
  stop?: Int32Array;
}

/** A slice map around a trained point: GD from every pixel of a plane through `center`. */
export interface NetworkSliceJob {
  model: NetworkModelData;
  center: Float64Array;
  options: SliceOptions;
}

export type NetworkRequest =
  /** run number `run` of the job (learningRates[run]); partial replies stream its curves */
  | { type: 'trainRun'; taskId: number; job: TrainJob; run: number; cancel: Int32Array }
  /** the plane and rules of a slice (Lanczos for the Hessian plane) */
  | { type: 'nnSliceSetup'; taskId: number; job: NetworkSliceJob }
  /** rows [rowStart, rowEnd) of a slice map */
  | { type: 'nnSliceRows'; taskId: number; model: NetworkModelData; setup: SliceSetup; rowStart: number; rowEnd: number; cancel: Int32Array }
  /** λ_max(∇²L) and L at `params` (null: the spec's θ_0) */
  | { type: 'nnSharpness'; taskId: number; model: NetworkModelData; params: Float64Array | null };

export type NetworkReply =
  /** a partial reply: the task goes on (protocol.ts isPartialReply) */
  | { type: 'trainProgress'; taskId: number; partial: TrainPartial; steps: number }
  /** the run's record (null: stopped before it started) */
  | { type: 'trainRun'; taskId: number; run: number; result: TrainRun | null; model: ModelSummary; gradients: number; hvps: number }
  | { type: 'nnSliceSetup'; taskId: number; setup: SliceSetup; model: ModelSummary }
  | { type: 'nnSliceRows'; taskId: number; rows: SliceRow[] }
  | { type: 'nnSharpness'; taskId: number; sharpness: number; loss: number; model: ModelSummary };

/** FNV-1a (32-bit) of a text, as 8 hex digits: a cheap fingerprint of CSV contents for cache keys. */
export function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The model as job data, with its cache key (spec, CSV name, length and fingerprint). */
export function networkModelData(spec: ModelSpec, csv?: { name: string; text: string }): NetworkModelData {
  const data = csv ? `${csv.name}|${csv.text.length}|${fingerprint(csv.text)}` : '';
  return { spec, ...(csv ? { csv } : {}), key: `${JSON.stringify(spec)}|${data}` };
}
