/**
 * The training runs the panel finished, per network config, for the hover on `lr`: the sharpness
 * at the end of each run against its threshold. Kept in memory for the session of VS Code (the
 * most recent run of each config and model); no vscode API, so it is unit-tested in Node.
 */
import type { TrainResult } from '../engine/nn/train';

export interface RunRecord {
  eta: number;
  threshold: number;
  preconditioned: boolean;
  status: 'completed' | 'diverged' | 'cancelled';
  /** steps taken */
  steps: number;
  /** the last measured (compared) sharpness and the step it was measured at; null if never */
  sharpness: number | null;
  sharpnessStep: number | null;
  firstAtThreshold: number | null;
  K: number;
}

export interface RunsEntry {
  at: Date;
  runs: RunRecord[];
}

const entries = new Map<string, RunsEntry>();
/** configs × models remembered at most */
const CAPACITY = 64;

/** What a run is remembered by: the config document and what was trained. */
export function runsKey(sourceUri: string, model: unknown, optimizer: unknown, steps: number): string {
  return JSON.stringify([sourceUri, model, optimizer, steps]);
}

export function recordRuns(key: string, result: TrainResult, at = new Date()): void {
  const runs: RunRecord[] = result.runs.map((r) => {
    const compared = r.preconditioned ? r.preconditionedSharpness : r.sharpness;
    const m = compared.length;
    return {
      eta: r.eta, threshold: r.threshold, preconditioned: r.preconditioned, status: r.status, steps: r.steps,
      sharpness: m > 0 ? compared[m - 1] : null, sharpnessStep: m > 0 ? r.sharpnessSteps[m - 1] : null,
      firstAtThreshold: r.firstAtThreshold, K: r.K,
    };
  });
  entries.delete(key);
  entries.set(key, { at, runs });
  while (entries.size > CAPACITY) entries.delete(entries.keys().next().value as string);
}

export function runsFor(key: string): RunsEntry | undefined {
  return entries.get(key);
}

/** The remembered run at learning rate η (the same number the config has), if any. */
export function runAt(key: string, eta: number): { at: Date; run: RunRecord } | undefined {
  const e = entries.get(key);
  const run = e?.runs.find((r) => r.eta === eta);
  return e && run ? { at: e.at, run } : undefined;
}
