/**
 * "model" (with "optimizer" as its training setting): a network instead of an expression. The `model` block (kind, layers,
 * activation, loss, data, init) and the training settings (lr / learningRates, maxSteps,
 * optimizer) are validated by the engine's validators, whose JSON paths become the exact ranges
 * (../network.ts); the validated network goes into `result.network`. A network config has no
 * objective: the expression-only keys get a warning that they are ignored. CSV problems need the
 * file, so the extension adds them (on the `csv` value) after reading it.
 */
import { networkFromTree } from '../network';
import type { KeyValidator } from './context';

/** Keys that describe an expression's map: ignored when the config describes a network. */
const EXPRESSION_ONLY = ['variables', 'domain', 'grid', 'tolerance', 'axes', 'fixed', 'starts'] as const;
/** Training keys the shared validators already check (their problems are reported once). */
const CHECKED_ELSEWHERE = ['lr', 'learningRates', 'maxSteps'];

export const modelValidator: KeyValidator<'model'> = {
  // "optimizer" is its own key family (./optimizer.ts) for expressions; for a network it is
  // validated here, with the rest of the training settings
  keys: ['model'],
  aliases: { network: 'model', net: 'model', nn: 'model', architecture: 'model' },
  validate(ctx) {
    const model = ctx.get('model');
    if (!model) return;
    const objective = ctx.get('objective');
    if (objective) ctx.err(model.keyRange, 'a config describes either an expression ("objective") or a network ("model"), not both: remove one', 'model');
    for (const key of EXPRESSION_ONLY) {
      const e = ctx.get(key);
      if (e) ctx.warn(e.keyRange, `"${key}" is ignored for a network (it belongs to an expression's basin map)`, 'ignored-for-network');
    }
    const network = networkFromTree(ctx.root);
    if (!network) return;
    const checked = CHECKED_ELSEWHERE.map((k) => ctx.get(k)?.value.range).filter((r): r is { start: number; end: number } => r !== undefined);
    for (const issue of network.issues) {
      if (issue.code === 'training' && checked.some((r) => issue.range.start >= r.start && issue.range.end <= r.end)) continue;
      ctx.issue(issue.severity, issue.range, issue.message, issue.code);
    }
    ctx.result.network = network;
  },
};
