/**
 * The errors a ComputePool job rejects with when it is cancelled, when its worker dies and when a
 * task throws inside a worker (rebuilt from the worker's serialized error).
 */
import { ExpressionError } from '../engine/types';
import type { SerializedError } from './protocol';

/** The job was cancelled through its AbortSignal (or the pool was disposed). */
export class CancelledError extends Error {
  constructor(message = 'computation cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** A worker thread died (crash, process.exit, out of memory) while running a task of this job. */
export class WorkerCrashedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerCrashedError';
  }
}

/** A task threw inside a worker; `name` and message are the original ones. */
export class ComputeError extends Error {
  constructor(
    name: string,
    message: string,
    /** the stack inside the worker, for logs */
    public readonly workerStack?: string,
  ) {
    super(message);
    this.name = name;
  }
}

/** A worker's error as the host throws it: an ExpressionError keeps its range, others become ComputeError. */
export function deserializeError(e: SerializedError): Error {
  if (e.name === 'ExpressionError' && e.range) return new ExpressionError(e.message, e.range);
  return new ComputeError(e.name, e.message, e.stack);
}
