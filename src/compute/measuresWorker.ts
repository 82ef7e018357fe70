/**
 * The worker side of the measures' jobs (called from worker.ts's message switch): the orbits of a
 * chunk of learning rates, computed on the worker's cached analysed problem.
 */
import type { TransferListItem } from 'node:worker_threads';
import type { AnalyzedProblem } from '../engine/analyze';
import { computeOrbits, orbitContext } from '../engine/measures/orbit';
import type { ProblemSpec } from '../engine/types';
import type { MeasuresReply, MeasuresRequest } from './measuresProtocol';

export function handleMeasuresRequest(
  request: MeasuresRequest,
  problemFor: (spec: ProblemSpec) => AnalyzedProblem,
  post: (reply: MeasuresReply | { type: 'cancelled'; taskId: number }, transfer?: TransferListItem[]) => void,
): void {
  const { job, etaStart, etaEnd, taskId } = request;
  if (!(Number.isInteger(etaStart) && Number.isInteger(etaEnd) && 0 <= etaStart && etaStart < etaEnd && etaEnd <= job.etas.length)) {
    throw new RangeError(`learning rates ${etaStart}…${etaEnd - 1} are outside the job's 0…${job.etas.length - 1}`);
  }
  const problem = problemFor(job.spec);
  const orbits = computeOrbits(problem, job.starts, job.etas.slice(etaStart, etaEnd), job.options, request.cancel);
  if (!orbits) {
    post({ type: 'cancelled', taskId });
    return;
  }
  const context = orbitContext(problem);
  post({ type: 'orbitChunk', taskId, etaStart, etaEnd, points: orbits.points, values: orbits.values, context }, [orbits.values.buffer as ArrayBuffer]);
}
