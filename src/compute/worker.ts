/**
 * Compute worker entry (bundled to dist/worker.js). Receives plain-data requests (protocol.ts),
 * with the problem as data (ProblemSpec.ir: the parsed objective, validated again here), compiles
 * and analyses it itself — no parser is loaded in a worker — caches the analysed problem per spec
 * and the basin kernel per map, and answers with plain data; result typed arrays are transferred.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TransferListItem } from 'node:worker_threads';
import { analyzeProblemData } from '../engine/problem';
import type { AnalyzedProblem } from '../engine/problem';
import { createBasinKernel } from '../engine/basin';
import type { BasinKernel, BasinRows } from '../engine/basin';
import { certify, certifyAll } from '../engine/certificate';
import { optimizerAnalysis } from '../engine/optimizers/analysis';
import type { OptimizerSpec } from '../engine/optimizers/spec';
import { sweepPoint } from '../engine/sweep';
import { trajectory } from '../engine/trajectory';
import type { CertificateResult, ClassifyOptions, ProblemSpec } from '../engine/types';
import type { AnalysisResult, BasinJob, TrajectoryData } from './jobs';
import type { SerializedError, WorkerBootData, WorkerReply, WorkerRequest } from './protocol';
import { handleMeasuresRequest } from './measuresWorker';
import { handleNetworkRequest } from './nnWorker';

/** A small insertion-ordered LRU cache. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly capacity: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
    }
  }
}

const problems = new Lru<AnalyzedProblem>(8);
const certificateCache = new Lru<CertificateResult[]>(32);
const kernels = new Lru<BasinKernel>(4);

/** A 32-bit FNV-1a hash of the IR nodes (so a cached problem is keyed by what was compiled). */
function irHash(spec: ProblemSpec): string {
  const nodes: unknown = spec.ir?.nodes;
  if (!Array.isArray(nodes)) return 'none';
  let h = 0x811c9dc5;
  const mix = (s: string): void => {
    for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  };
  for (const node of nodes) mix(Array.isArray(node) ? node.join(',') + ';' : '?;');
  return `${nodes.length}:${(h >>> 0).toString(16)}`;
}

function specKey(spec: ProblemSpec): string {
  return JSON.stringify([spec.expression, spec.variables ?? null, spec.domain ?? null, spec.windows ?? null, irHash(spec)]);
}

function problemFor(spec: ProblemSpec): AnalyzedProblem {
  const key = specKey(spec);
  let problem = problems.get(key);
  if (!problem) {
    problem = analyzeProblemData(spec);
    problems.set(key, problem);
  }
  return problem;
}

function certificatesFor(spec: ProblemSpec, problem: AnalyzedProblem, eta: number): CertificateResult[] {
  const key = specKey(spec) + '|' + eta;
  let results = certificateCache.get(key);
  if (!results) {
    results = certifyAll(problem, eta);
    certificateCache.set(key, results);
  }
  return results;
}

/** A map of another optimizer than GD: its own convergence test, no Theorem 2 certificates. */
function usesGd(job: { optimizer?: OptimizerSpec }): boolean {
  return !job.optimizer || job.optimizer.name === 'gd';
}

function kernelFor(job: BasinJob, problem: AnalyzedProblem, certificates: CertificateResult[]): BasinKernel {
  const key = JSON.stringify([specKey(job.spec), job.slice, job.eta, job.classify, job.optimizer ?? null]);
  let kernel = kernels.get(key);
  if (!kernel) {
    kernel = createBasinKernel(problem, job.slice, job.eta, job.classify, certificates, usesGd(job) ? undefined : job.optimizer);
    kernels.set(key, kernel);
  }
  return kernel;
}

function analysisResult(spec: ProblemSpec, problem: AnalyzedProblem, etas: readonly number[], optimizer?: { spec: OptimizerSpec; eta: number; classify: ClassifyOptions }): AnalysisResult {
  return {
    ...(optimizer ? { optimizer: optimizerAnalysis(problem, optimizer.spec, optimizer.eta, optimizer.classify) } : {}),
    variables: [...problem.parsed.variables],
    normalized: problem.parsed.normalized,
    domain: problem.domain.map(([lo, hi]) => [lo, hi] as [number, number]),
    criticalPoints: problem.criticalPoints,
    minima: problem.minima,
    searched: problem.searched,
    search: problem.search,
    definedness: problem.definedness,
    certificates: etas.map((eta) => ({ eta, results: certificatesFor(spec, problem, eta) })),
  };
}

function minimaSignature(problem: AnalyzedProblem): string {
  return JSON.stringify(problem.minima.map((m) => m.point));
}

/** A typed array that owns its whole buffer can be transferred; otherwise it is copied first. */
function ownBuffer<T extends Uint8Array | Int8Array | Uint16Array | Uint32Array | Float32Array | Float64Array>(a: T): T {
  if (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer) return a;
  return a.slice() as T;
}

function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const out: SerializedError = { name: err.name, message: err.message, stack: err.stack };
    const range = (err as { range?: unknown }).range;
    if (range && typeof range === 'object' && 'start' in range && 'end' in range) {
      const { start, end } = range as { start: unknown; end: unknown };
      if (typeof start === 'number' && typeof end === 'number') out.range = { start, end };
    }
    return out;
  }
  return { name: 'Error', message: String(err) };
}

function handle(port: NonNullable<typeof parentPort>, request: WorkerRequest, boot: WorkerBootData): void {
  const taskId = request.taskId;
  const post = (reply: WorkerReply, transfer: TransferListItem[] = []): void => port.postMessage(reply, transfer);
  switch (request.type) {
    case 'analyze': {
      const problem = problemFor(request.spec);
      post({ type: 'analysis', taskId, analysis: analysisResult(request.spec, problem, request.etas) });
      return;
    }
    case 'certifyShare': {
      const problem = problemFor(request.spec);
      const cached = certificateCache.get(specKey(request.spec) + '|' + request.eta);
      const results: CertificateResult[] = [];
      for (let j = request.part; j < problem.minima.length; j += request.parts) {
        results.push(cached ? cached[j] : certify(problem, j, request.eta));
      }
      post({ type: 'certificates', taskId, part: request.part, results, minimaCount: problem.minima.length, minimaSignature: minimaSignature(problem) });
      return;
    }
    case 'basinRows': {
      const { job } = request;
      const problem = problemFor(job.spec);
      const gd = usesGd(job);
      if (gd && request.certificates.length !== problem.minima.length) throw new Error(`got ${request.certificates.length} certificates for ${problem.minima.length} minima`);
      if (gd) certificateCache.set(specKey(job.spec) + '|' + job.eta, request.certificates);
      const kernel = kernelFor(job, problem, request.certificates);
      const before = kernel.stepsDone;
      const raw = kernel.runRows(request.rowStart, request.rowEnd, request.cancel);
      if (!raw) {
        post({ type: 'cancelled', taskId });
        return;
      }
      const rows: BasinRows = {
        rowStart: raw.rowStart,
        rowEnd: raw.rowEnd,
        width: raw.width,
        classes: ownBuffer(raw.classes),
        minimum: ownBuffer(raw.minimum),
        steps: ownBuffer(raw.steps),
        unstableSteps: ownBuffer(raw.unstableSteps),
        limitSharpness: ownBuffer(raw.limitSharpness),
        period: ownBuffer(raw.period),
        increases: ownBuffer(raw.increases),
      };
      const reply: WorkerReply = {
        type: 'rows',
        taskId,
        rows,
        steps: kernel.stepsDone - before,
        minimaSignature: minimaSignature(problem),
      };
      if (request.withAnalysis) {
        reply.analysis = gd
          ? analysisResult(job.spec, problem, [job.eta])
          : analysisResult(job.spec, problem, [], { spec: job.optimizer as OptimizerSpec, eta: job.eta, classify: job.classify });
      }
      post(reply, [rows.classes.buffer, rows.minimum.buffer, rows.steps.buffer, rows.unstableSteps.buffer, rows.limitSharpness.buffer, rows.period.buffer, rows.increases.buffer] as ArrayBuffer[]);
      return;
    }
    case 'sweepPoint': {
      const problem = problemFor(request.spec);
      const point = sweepPoint(problem, request.slice, request.eta, request.classify, request.cancel, request.optimizer);
      if (!point) post({ type: 'cancelled', taskId });
      else post({ type: 'sweepPoint', taskId, eta: point.eta, etaFraction: point.etaFraction, stats: point.stats, steps: point.stepsDone });
      return;
    }
    case 'trajectory': {
      const { job } = request;
      const problem = problemFor(job.spec);
      const data: TrajectoryData = trajectory(problem, job.eta, job.init, {
        ...job.classify,
        ...(usesGd(job) ? { certificates: certificatesFor(job.spec, problem, job.eta) } : { optimizer: job.optimizer }),
        tailSteps: job.tailSteps,
      });
      const transfer = [data.theta, data.loss, data.gradNorm, data.sharpness, data.increased, ...(data.preconditionedSharpness ? [data.preconditionedSharpness] : [])]
        .filter((a) => a.byteOffset === 0 && a.byteLength === a.buffer.byteLength)
        .map((a) => a.buffer as ArrayBuffer);
      post({ type: 'trajectory', taskId, data }, [...new Set(transfer)]);
      return;
    }
    case 'orbitChunk':
      handleMeasuresRequest(request, problemFor, post);
      return;
    case 'trainRun':
    case 'nnSliceSetup':
    case 'nnSliceRows':
    case 'nnSharpness':
      handleNetworkRequest(request, post);
      return;
    case 'testExit':
      if (!boot.testHooks) throw new Error('test hooks are disabled');
      process.exit(request.code);
      return;
    case 'testThrowUncaught':
      if (!boot.testHooks) throw new Error('test hooks are disabled');
      setTimeout(() => {
        throw new Error('uncaught failure injected by a test');
      }, 0);
      return;
    case 'testBusy': {
      if (!boot.testHooks) throw new Error('test hooks are disabled');
      const until = Date.now() + request.ms;
      while (Date.now() < until) {
        /* deliberately ignore the cancel flag */
      }
      post({ type: 'testDone', taskId });
      return;
    }
  }
}

if (parentPort) {
  const port = parentPort;
  const boot: WorkerBootData = { testHooks: Boolean((workerData as Partial<WorkerBootData> | null)?.testHooks) };
  port.on('message', (request: WorkerRequest) => {
    try {
      handle(port, request, boot);
    } catch (err) {
      port.postMessage({ type: 'error', taskId: request.taskId, error: serializeError(err) } satisfies WorkerReply);
    }
  });
}
