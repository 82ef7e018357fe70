/**
 * The host side of a basin map on the ComputePool, in the form WorkerPool.submit takes (tasks +
 * reply handlers):
 *
 * - First the Theorem 2 certificates are shared out over the workers (one minimum each, round
 *   robin; skipped when cached, or for another optimizer than GD, which brings its own
 *   convergence test), then handed to every row chunk, so all workers classify against the same
 *   sets.
 * - Basin rows are split into small chunks dispatched dynamically: consecutive chunks go to
 *   whichever worker is free, so rows are interleaved across workers and uneven rows (fractal
 *   boundaries) balance out. Chunks stream back as transferred typed arrays with progress.
 */
import { basinStats } from '../engine/basin';
import type { BasinRows, BasinStats } from '../engine/basin';
import type { CertificateResult } from '../engine/types';
import type { AnalysisResult, BasinJob } from './jobs';
import type { JobHandlers, Task } from './workerPool';

export interface BasinProgress {
  rowsDone: number;
  rowsTotal: number;
  /** rowsDone / rowsTotal */
  fraction: number;
  /** pixels classified per second of wall time since the job started */
  pixelsPerSecond: number;
}

export interface BasinResult {
  stats: BasinStats;
  analysis: AnalysisResult;
  /** Theorem 2 certificates at the job's η, one per minimum */
  certificates: CertificateResult[];
  elapsedMs: number;
}

/** Rows per dispatched chunk: small enough to stream and balance, big enough to amortise messages. */
export function chunkRowsFor(height: number, workers: number): number {
  return Math.max(1, Math.min(8, Math.ceil(height / (workers * 16))));
}

/** What a basin job takes from its pool. */
export interface BasinJobContext {
  /** the pool's worker count (certificate shares, chunk size) */
  workers: number;
  /** the job runs another optimizer than GD: no certificates to share out */
  otherOptimizer: boolean;
  /** certificates of recent maps, by problem and η (plain data; saves the certify phase) */
  certificateCache: Map<string, CertificateResult[]>;
}

/**
 * Tasks and reply handlers of a basin map whose job has been validated (problem IR, η, slice,
 * optimizer). `enqueue` adds the row chunks once the certificates are known.
 */
export function basinJobHandlers(
  job: BasinJob,
  context: BasinJobContext,
  cancel: Int32Array,
  enqueue: (tasks: Task[]) => void,
  resolve: (result: BasinResult) => void,
  fail: (err: Error) => void,
  onRows?: (rows: BasinRows, progress: BasinProgress) => void,
): JobHandlers {
  const { width, height } = job.slice;
  const pixels = width * height;
  const classes = new Uint8Array(pixels);
  const minimum = new Int8Array(pixels);
  const increases = new Uint16Array(pixels);
  const chunk = chunkRowsFor(height, context.workers);
  const certKey = JSON.stringify([job.spec.expression, job.spec.variables ?? null, job.spec.domain ?? null, job.spec.windows ?? null, job.eta]);
  const rowTasks = (certificates: CertificateResult[]): Task[] => {
    const tasks: Task[] = [];
    for (let r = 0; r < height; r += chunk) {
      const rowEnd = Math.min(height, r + chunk);
      tasks.push({
        request: { type: 'basinRows', job, rowStart: r, rowEnd, certificates, cancel, withAnalysis: r === 0 },
        describe: `basin rows ${r}–${rowEnd - 1}`,
      });
    }
    return tasks;
  };
  // Phase 1 (unless cached): the certificates, shared out over the workers (one task each).
  // Phase 2: the row chunks, each carrying the certificates.
  const cached = context.certificateCache.get(certKey);
  const parts = context.workers;
  const shares: CertificateResult[][] = [];
  let sharesDone = 0;
  let minimaCount = -1;
  const started = performance.now();
  let rowsDone = 0;
  let analysis: AnalysisResult | null = null;
  let signature: string | null = null;
  const sameMinima = (s: string): boolean => {
    if (signature === null) signature = s;
    if (signature === s) return true;
    fail(new Error('compute workers found different minima for the same problem; the map would be inconsistent'));
    return false;
  };
  return {
    tasks: context.otherOptimizer
      ? rowTasks([])
      : cached
      ? rowTasks(cached)
      : Array.from({ length: parts }, (_, part) => ({
          request: { type: 'certifyShare' as const, spec: job.spec, eta: job.eta, part, parts },
          describe: `the certificates at η = ${job.eta} (share ${part + 1} of ${parts})`,
        })),
    onReply: (reply) => {
      if (reply.type === 'certificates') {
        if (!sameMinima(reply.minimaSignature)) return;
        minimaCount = reply.minimaCount;
        shares[reply.part] = reply.results;
        if (++sharesDone < parts) return;
        const certificates: CertificateResult[] = new Array<CertificateResult>(minimaCount);
        for (let p = 0; p < parts; p++) {
          (shares[p] ?? []).forEach((result, i) => {
            certificates[p + i * parts] = result;
          });
        }
        for (let j = 0; j < minimaCount; j++) {
          const c = certificates[j];
          const index = c ? (c.ok ? c.certificate.minimum : c.minimum) : -1;
          if (index !== j) return fail(new Error(`the certificate of minimum ${j} is missing`));
        }
        context.certificateCache.set(certKey, certificates);
        if (context.certificateCache.size > 32) context.certificateCache.delete(context.certificateCache.keys().next().value as string);
        enqueue(rowTasks(certificates));
        return;
      }
      if (reply.type !== 'rows') return fail(new Error(`unexpected worker reply '${reply.type}' to basin rows`));
      if (!sameMinima(reply.minimaSignature)) return;
      if (reply.analysis) analysis = reply.analysis;
      const { rows } = reply;
      classes.set(rows.classes, rows.rowStart * width);
      minimum.set(rows.minimum, rows.rowStart * width);
      increases.set(rows.increases, rows.rowStart * width);
      rowsDone += rows.rowEnd - rows.rowStart;
      if (onRows) {
        const seconds = (performance.now() - started) / 1000;
        onRows(rows, {
          rowsDone,
          rowsTotal: height,
          fraction: rowsDone / height,
          pixelsPerSecond: seconds > 0 ? (rowsDone * width) / seconds : 0,
        });
      }
    },
    onComplete: () => {
      if (!analysis) return fail(new Error('the basin map finished without its analysis'));
      const certificates = analysis.certificates.find((c) => c.eta === job.eta)?.results ?? [];
      resolve({
        stats: basinStats(classes, minimum, analysis.minima.length, increases),
        analysis,
        certificates,
        elapsedMs: performance.now() - started,
      });
    },
  };
}
