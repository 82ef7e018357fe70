/**
 * The host side of an orbit diagram on the ComputePool: the learning rates are split into chunks
 * (about 8 per worker, so uneven chunks — fast divergence, slow chaos — balance out), dispatched
 * to whichever worker is free, and assembled in η order. Cancellable between orbits.
 */
import { assembleOrbitDiagram, checkOrbitInput, checkOrbitSize, resolveOrbitOptions, type OrbitDiagram, type OrbitPoint } from '../engine/measures/orbit';
import type { MeasuresRequest, OrbitChunkContext, OrbitJob } from './measuresProtocol';
import type { WorkerReply } from './protocol';

export type { OrbitJob } from './measuresProtocol';

export interface OrbitProgress {
  etasDone: number;
  etasTotal: number;
  fraction: number;
}

/** One chunk as it arrives (η indices etaStart … etaEnd−1). */
export interface OrbitChunk {
  etaStart: number;
  etaEnd: number;
  points: OrbitPoint[];
  values: Float64Array;
}

/** Learning rates per task. */
export function orbitChunkSize(etas: number, workers: number): number {
  return Math.max(1, Math.ceil(etas / (workers * 8)));
}

/**
 * Tasks and reply handlers of an orbit job, in the form ComputePool.submit takes. `n` is checked
 * by the workers (they compile the problem); here the sizes are.
 */
export function orbitJobHandlers(
  job: OrbitJob,
  workers: number,
  cancel: Int32Array,
  resolve: (d: OrbitDiagram) => void,
  fail: (err: Error) => void,
  onChunk?: (chunk: OrbitChunk, progress: OrbitProgress) => void,
): { tasks: { request: Omit<MeasuresRequest, 'taskId'>; describe: string }[]; onReply(reply: WorkerReply): void; onComplete(): void } {
  const n = job.starts[0]?.length ?? 0;
  checkOrbitInput(n, job.starts, job.etas);
  const options = resolveOrbitOptions(n, job.options);
  const perEta = job.starts.length * options.keep * (1 + options.record.length);
  checkOrbitSize(job.etas.length * perEta);
  const values = new Float64Array(job.etas.length * perEta);
  const points: OrbitPoint[] = new Array<OrbitPoint>(job.etas.length * job.starts.length);
  const size = orbitChunkSize(job.etas.length, workers);
  const tasks: { request: Omit<MeasuresRequest, 'taskId'>; describe: string }[] = [];
  for (let e = 0; e < job.etas.length; e += size) {
    const end = Math.min(job.etas.length, e + size);
    tasks.push({ request: { type: 'orbitChunk', job, etaStart: e, etaEnd: end, cancel }, describe: `the orbits at η = ${job.etas[e]} … ${job.etas[end - 1]}` });
  }
  let context: OrbitChunkContext | null = null;
  let done = 0;
  return {
    tasks,
    onReply: (reply) => {
      if (reply.type !== 'orbitChunk') return fail(new Error(`unexpected worker reply '${reply.type}' to orbits`));
      const signature = JSON.stringify(reply.context.minima.map((m) => m.point));
      if (context === null) context = reply.context;
      else if (JSON.stringify(context.minima.map((m) => m.point)) !== signature) return fail(new Error('compute workers found different minima for the same problem; the diagram would be inconsistent'));
      values.set(reply.values, reply.etaStart * perEta);
      reply.points.forEach((p, i) => {
        points[reply.etaStart * job.starts.length + i] = p;
      });
      done += reply.etaEnd - reply.etaStart;
      onChunk?.({ etaStart: reply.etaStart, etaEnd: reply.etaEnd, points: reply.points, values: reply.values }, { etasDone: done, etasTotal: job.etas.length, fraction: done / job.etas.length });
    },
    onComplete: () => {
      if (!context) return fail(new Error('the orbit diagram finished without results'));
      resolve(assembleOrbitDiagram(context, job.starts, job.etas, job.options, { points, values }));
    },
  };
}
