/**
 * The worker side of the network jobs (called from worker.ts's message switch): builds the
 * network from its spec and data (cached per model key), trains one learning rate with progress
 * posted as partial replies about every PROGRESS_MS, computes a slice's plane, runs slice rows,
 * and measures the sharpness at a point. Cancellation: the shared flag is read between slices
 * of work (a few ms each); the stop flag of a training job ends the run as 'cancelled' and still
 * replies with what it computed.
 */
import type { TransferListItem } from 'node:worker_threads';
import { formatCsvError } from '../engine/nn/csv';
import { prepareModel, type BuiltModel } from '../engine/nn/model';
import { SharpnessMeter } from '../engine/nn/sharpness';
import { SliceMap, sliceSetup, type SliceRow } from '../engine/nn/slices';
import { pathText } from '../engine/nn/specCheck';
import { TrainingSession, type TrainPartial, type TrainRun } from '../engine/nn/train';
import type { NetworkModelData, NetworkReply, NetworkRequest } from './nnProtocol';

type Post = (reply: NetworkReply | { type: 'cancelled'; taskId: number }, transfer?: TransferListItem[]) => void;

/** How often a training task reports its curves so far (ms). */
export const PROGRESS_MS = 120;
/** Work between looks at the flags (ms). */
const SLICE_MS = 20;

const models = new Map<string, BuiltModel>();

/** The built network of a model (the two most recent are kept). */
function modelFor(data: NetworkModelData): BuiltModel {
  const cached = models.get(data.key);
  if (cached) {
    models.delete(data.key);
    models.set(data.key, cached);
    return cached;
  }
  const built = prepareModel(data.spec, data.csv);
  if (built.csvErrors) throw new Error(built.csvErrors.slice(0, 3).map(formatCsvError).join('; '));
  if (built.errors) throw new Error(built.errors.slice(0, 3).map((e) => `${pathText(e.path, 'model')}: ${e.message}`).join('; '));
  models.set(data.key, built.model);
  while (models.size > 2) models.delete(models.keys().next().value as string);
  return built.model;
}

const set = (flag: Int32Array | undefined): boolean => flag !== undefined && Atomics.load(flag, 0) !== 0;

function partialBuffers(p: TrainPartial): ArrayBuffer[] {
  return [p.loss, p.gradNorm, p.increased, p.sharpnessSteps, p.sharpness, p.preconditionedSharpness].map((a) => a.buffer as ArrayBuffer);
}

function runBuffers(r: TrainRun): ArrayBuffer[] {
  const arrays = [r.loss, r.gradNorm, r.increased, r.sharpnessSteps, r.sharpness, r.topEigenvalues, r.preconditionedSharpness, r.hvps, r.finalParams];
  return [...new Set(arrays.filter((a) => a.byteOffset === 0 && a.byteLength === a.buffer.byteLength).map((a) => a.buffer as ArrayBuffer))];
}

function trainRun(request: Extract<NetworkRequest, { type: 'trainRun' }>, post: Post): void {
  const { job, run, taskId, cancel } = request;
  const eta = job.learningRates[run];
  if (eta === undefined) throw new RangeError(`run ${run} is outside the job's ${job.learningRates.length} learning rates`);
  const model = modelFor(job.model);
  const g0 = model.network.gradientCount;
  const h0 = model.network.hvpCount;
  const reply = (result: TrainRun | null): void => post(
    { type: 'trainRun', taskId, run, result, model: model.summary, gradients: model.network.gradientCount - g0, hvps: model.network.hvpCount - h0 },
    result ? runBuffers(result) : [],
  );
  if (set(job.stop)) return reply(null);
  const session = new TrainingSession(model, {
    learningRates: [eta], steps: job.steps, optimizer: job.optimizer, sharpnessEvery: job.sharpnessEvery, topK: job.topK,
    lanczosTol: job.lanczosTol, roundoffGuard: job.roundoffGuard,
  });
  let slice = 4;
  let sentStep = 0;
  let sentMeasurement = 0;
  let lastPost = performance.now();
  while (!session.done) {
    if (set(cancel)) return post({ type: 'cancelled', taskId });
    if (set(job.stop)) {
      session.cancel();
      break;
    }
    const t = performance.now();
    session.advance(slice);
    const now = performance.now();
    const ms = now - t;
    slice = Math.max(1, Math.min(4096, Math.round(slice * (ms > 0 ? Math.min(2, SLICE_MS / ms) : 2))));
    if (now - lastPost >= PROGRESS_MS && !session.done) {
      const p = session.partial(sentStep, sentMeasurement);
      if (p && p.loss.length > 0) {
        sentStep = p.fromStep + p.loss.length;
        sentMeasurement = p.fromMeasurement + p.sharpness.length;
        post({ type: 'trainProgress', taskId, partial: { ...p, run }, steps: job.steps }, partialBuffers(p));
      }
      lastPost = now;
    }
  }
  const result = session.result();
  reply(result.runs[0] ?? null);
}

export function handleNetworkRequest(request: NetworkRequest, post: Post): void {
  const taskId = request.taskId;
  switch (request.type) {
    case 'trainRun':
      trainRun(request, post);
      return;
    case 'nnSliceSetup': {
      const model = modelFor(request.job.model);
      const setup = sliceSetup(model.network, request.job.center, request.job.options);
      post({ type: 'nnSliceSetup', taskId, setup, model: model.summary }, [setup.center.buffer, setup.d1.buffer, setup.d2.buffer] as ArrayBuffer[]);
      return;
    }
    case 'nnSliceRows': {
      const model = modelFor(request.model);
      const map = new SliceMap(model.network, request.setup);
      const rows: SliceRow[] = [];
      const shouldCancel = (): boolean => set(request.cancel);
      for (let r = request.rowStart; r < request.rowEnd; r++) {
        const row = map.runRow(r, shouldCancel);
        if (!row) return post({ type: 'cancelled', taskId });
        rows.push(row);
      }
      const transfer = rows.flatMap((r) => [r.classes.buffer, r.steps.buffer, r.K.buffer, r.increases.buffer, r.finalLoss.buffer]) as ArrayBuffer[];
      post({ type: 'nnSliceRows', taskId, rows }, transfer);
      return;
    }
    case 'nnSharpness': {
      const model = modelFor(request.model);
      const params = request.params ?? model.initial;
      if (params.length !== model.network.nParams) throw new RangeError(`the parameter vector has ${params.length} entries, the network ${model.network.nParams}`);
      const grad = new Float64Array(model.network.nParams);
      const loss = model.network.lossAndGradient(params, grad);
      const meter = new SharpnessMeter(model.network, { k: 1, tol: 1e-6, maxIter: Math.min(80, model.network.nParams) });
      post({ type: 'nnSharpness', taskId, sharpness: meter.hessian(params).values[0], loss, model: model.summary });
      return;
    }
  }
}
