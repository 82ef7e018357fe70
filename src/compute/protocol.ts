/**
 * Messages between the ComputePool (host side) and a compute worker (src/compute/worker.ts).
 * Discriminated unions with a task id; every payload is plain data (structured clone), typed
 * arrays of results are transferred. The cancel flag is an Int32Array over a SharedArrayBuffer:
 * the host stores 1 into it and the kernel stops at its next check.
 */
import type { BasinRows, BasinStats } from '../engine/basin';
import type { SweepPoint } from '../engine/sweep';
import type { OptimizerSpec } from '../engine/optimizers/spec';
import type { CertificateResult, ClassifyOptions, ProblemSpec, SliceSpec, SourceRange } from '../engine/types';
import type { AnalysisResult, BasinJob, TrajectoryData, TrajectoryJob } from './jobs';
import type { MeasuresReply, MeasuresRequest } from './measuresProtocol';
import type { NetworkReply, NetworkRequest } from './nnProtocol';

/** Data the pool hands to every worker at start (worker_threads `workerData`). */
export interface WorkerBootData {
  /** enables the test-only requests below; never set outside tests */
  testHooks: boolean;
}

export type WorkerRequest =
  /** critical points, minima and certificates for each η */
  | { type: 'analyze'; taskId: number; spec: ProblemSpec; etas: number[] }
  /**
   * Theorem 2 certificates at η for the minima j with j % parts === part (a map's certificates
   * are shared out over the workers, then handed to every worker with its rows)
   */
  | { type: 'certifyShare'; taskId: number; spec: ProblemSpec; eta: number; part: number; parts: number }
  /**
   * rows [rowStart, rowEnd) of a basin map, classified with `certificates` (one per minimum, from
   * certifyShare); `withAnalysis` asks for the analysis in the reply
   */
  | {
      type: 'basinRows';
      taskId: number;
      job: BasinJob;
      rowStart: number;
      rowEnd: number;
      certificates: CertificateResult[];
      cancel: Int32Array;
      withAnalysis: boolean;
    }
  /** one point of a learning-rate sweep (the whole map at one η, reduced to area fractions) */
  | { type: 'sweepPoint'; taskId: number; spec: ProblemSpec; slice: SliceSpec; eta: number; classify: ClassifyOptions; cancel: Int32Array; optimizer?: OptimizerSpec }
  | { type: 'trajectory'; taskId: number; job: TrajectoryJob }
  /** the dynamics measures' jobs (orbit diagrams): measuresProtocol.ts */
  | MeasuresRequest
  /** the network jobs (training, slices, sharpness): nnProtocol.ts */
  | NetworkRequest
  /** test hook: the worker ends its thread with process.exit(code) */
  | { type: 'testExit'; taskId: number; code: number }
  /** test hook: the worker throws outside any handler (an uncaught exception) */
  | { type: 'testThrowUncaught'; taskId: number }
  /** test hook: the worker busy-waits `ms` without checking the cancel flag */
  | { type: 'testBusy'; taskId: number; ms: number };

/** An error as data; ExpressionError keeps its character range. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  range?: SourceRange;
}

export type WorkerReply =
  | { type: 'analysis'; taskId: number; analysis: AnalysisResult }
  /** this worker's share of the certificates, and the minima they refer to */
  | { type: 'certificates'; taskId: number; part: number; results: CertificateResult[]; minimaCount: number; minimaSignature: string }
  | {
      type: 'rows';
      taskId: number;
      rows: BasinRows;
      /** GD steps the kernel ran for these rows */
      steps: number;
      /** identifies the minima list this worker classified against (must agree across workers) */
      minimaSignature: string;
      analysis?: AnalysisResult;
    }
  | { type: 'sweepPoint'; taskId: number; eta: number; etaFraction: number; stats: BasinStats; steps: number }
  | { type: 'trajectory'; taskId: number; data: TrajectoryData }
  | MeasuresReply
  | NetworkReply
  /** the task saw the cancel flag and stopped */
  | { type: 'cancelled'; taskId: number }
  /** the task threw; the worker itself is fine */
  | { type: 'error'; taskId: number; error: SerializedError }
  | { type: 'testDone'; taskId: number };

/** Re-export for convenience of the pool, which assembles SweepPoints from sweepPoint replies. */
export type { SweepPoint };

/** Replies that report progress within a task: the task goes on and its worker stays busy. */
export function isPartialReply(reply: WorkerReply): boolean {
  return reply.type === 'trainProgress';
}
