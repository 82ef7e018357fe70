/** Test helper: the paper's f1–f4 analysed once per test file (optionally on another window). */
import { analyzeProblem, type AnalyzedProblem } from '../../../src/engine/analyze';
import { PAPER_FUNCTIONS, paperSpec } from '../../../src/engine/paper';
import type { Box } from '../../../src/engine/types';

const cache = new Map<string, AnalyzedProblem>();

export function paperProblem(id: string, window?: Box): AnalyzedProblem {
  const key = `${id}:${JSON.stringify(window ?? null)}`;
  let problem = cache.get(key);
  if (!problem) {
    const f = PAPER_FUNCTIONS.find((g) => g.id === id);
    if (!f) throw new Error(`no paper function ${id}`);
    problem = analyzeProblem(window ? { ...paperSpec(f), domain: window } : paperSpec(f));
    cache.set(key, problem);
  }
  return problem;
}
