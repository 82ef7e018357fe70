/**
 * `gdlab train <config.gdlab.json|yaml> [--out run.json|run.csv] [--lrs a,b] [--steps N]
 *  [--sharpness-every k] [--optimizer name] [--top-k k] [--with-params]`
 * Trains the config's `model` at each learning rate and records loss, ‖∇L‖, loss increases /
 * the unstable phase K, and the sharpness against the optimizer's threshold line.
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { formatOfFileName, parsePositionTree, type PosNode } from '../../config/tree';
import {
  CSV_LIMITS, formatCsvError, pathText, prepareModel, trainResultJson, trainRunsCsv, TrainingSession, validateModelSpec,
  validateOptimizerSpec, validateTrainSettings, type JsonPath, type SpecError, type TrainProgress, type TrainRun,
} from '../../engine/nn';
import type { Plain, PlainObject } from '../../engine/nn/specCheck';
import { intOption, listOption, parseArgs, UsageError } from '../args';
import { checkOutputPath, outputFormat, writeAtomic } from '../problemInput';
import { Progress } from '../progress';

const HELP = `Usage: gdlab train <config.gdlab.json | config.gdlab.yaml> [options]

Trains the network described by the config's "model" block with full-batch GD (or the config's
optimizer) at each learning rate, and records per step the loss, ‖∇L‖ and loss increases (the
unstable phase ends at K = the step of the last loss increase), and every k steps the sharpness λ_max(∇²L) by
Lanczos on exact Hessian-vector products, against the threshold 2/η (2(1+β)/η heavy-ball,
(2+2β)/((1+2β)η) Nesterov; Adam/RMSProp: the preconditioned sharpness against (2+2β₁)/((1−β₁)η)).

Options:
  --out FILE            run.json or run.csv (default: a summary only)
  --lrs a,b,c           learning rates (default: the config's lr and learningRates)
  --steps N             optimizer steps per learning rate (default: the config's maxSteps, else 1000)
  --sharpness-every k   measure sharpness every k steps, 0 = never (default: model.sharpnessEvery, else 20)
  --optimizer NAME      gd | momentum | nesterov | rmsprop | adam with default parameters
                        (parameters: the config's "optimizer" block)
  --top-k k             top Hessian eigenvalues recorded per measurement (1–4)
  --with-params         include the final parameters of each run in the JSON
  --help                this text

Ctrl-C stops training and still writes what was computed (marked "cancelled"; exit code 130).
Exit codes: 0 ok, 2 bad input, 130 interrupted, 1 other failure.`;

/** 1-based line:column of an offset. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - before.lastIndexOf('\n')}`;
}

function toPlain(node: PosNode): Plain {
  switch (node.kind) {
    case 'object': {
      const out: PlainObject = {};
      for (const e of node.entries) out[e.key] = toPlain(e.value);
      return out;
    }
    case 'array':
      return node.items.map(toPlain);
    case 'string':
    case 'number':
    case 'boolean':
      return node.value;
    default:
      return null;
  }
}

/** The deepest node along a JSON path (the node itself when the whole path exists). */
function locate(node: PosNode, jsonPath: JsonPath): PosNode {
  let cur = node;
  for (const p of jsonPath) {
    if (cur.kind === 'object' && typeof p === 'string') {
      const e = cur.entries.find((x) => x.key === p);
      if (!e) break;
      cur = e.value;
    } else if (cur.kind === 'array' && typeof p === 'number' && cur.items[p]) {
      cur = cur.items[p];
    } else {
      break;
    }
  }
  return cur;
}

interface LoadedConfig {
  file: string;
  text: string;
  root: PosNode;
  plain: PlainObject;
}

function readConfig(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read config file '${file}': ${err instanceof Error ? err.message : String(err)}`);
  }
  const doc = parsePositionTree(text, formatOfFileName(file));
  if (doc.syntaxErrors.length > 0) {
    throw new UsageError(doc.syntaxErrors.slice(0, 5).map((e) => `${file}:${lineColumn(text, e.range.start)}: ${e.message}`).join('\n'));
  }
  if (!doc.root || doc.root.kind !== 'object') throw new UsageError(`${file}:1:1: a config file must be an object with a "model" block`);
  return { file, text, root: doc.root, plain: toPlain(doc.root) as PlainObject };
}

/** Spec errors (paths from the config root) → 'file:line:col: path: message' lines in file order (first 8). */
function specErrors(cfg: LoadedConfig, errors: SpecError[]): UsageError {
  const located = errors.map((e) => ({ e, offset: locate(cfg.root, e.path).range.start })).sort((a, b) => a.offset - b.offset);
  const lines = located.slice(0, 8).map(({ e, offset }) => `${cfg.file}:${lineColumn(cfg.text, offset)}: ${pathText(e.path) || 'config'}: ${e.message}`);
  if (errors.length > 8) lines.push(`… and ${errors.length - 8} more`);
  return new UsageError(lines.join('\n'));
}

const underModel = (errors: SpecError[]): SpecError[] => errors.map((e) => ({ path: ['model', ...e.path], message: e.message }));

function readCsv(cfg: LoadedConfig, relative: string): { name: string; text: string } {
  const resolved = path.resolve(path.dirname(cfg.file), relative);
  const name = path.relative(process.cwd(), resolved) || resolved;
  const where = `${cfg.file}:${lineColumn(cfg.text, locate(cfg.root, ['model', 'data', 'csv']).range.start)}`;
  let size: number;
  try {
    size = statSync(resolved).size;
  } catch {
    throw new UsageError(`${where}: model.data.csv: no such file '${name}' (paths are relative to the config file)`);
  }
  if (size > CSV_LIMITS.maxChars) throw new UsageError(`${name}:1:1: the file is too large: ${(size / 2 ** 20).toFixed(1)} MB; the limit is ${CSV_LIMITS.maxChars / 2 ** 20} MB`);
  return { name, text: readFileSync(resolved, 'utf8') };
}

const g = (v: number): string => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v));

function runSummary(run: TrainRun): string {
  const m = run.sharpness.length;
  const compared = run.preconditioned ? run.preconditionedSharpness : run.sharpness;
  const what = run.preconditioned ? 'preconditioned sharpness' : 'sharpness';
  const sharp = m > 0 ? `; ${what} ${g(compared[0])} → ${g(compared[m - 1])} (threshold ${g(run.threshold)}), ${run.firstAtThreshold === null ? 'never reached it' : `reached it at step ${run.firstAtThreshold}`}` : '';
  return `η = ${run.eta}: ${run.status} after ${run.steps} steps; loss ${g(run.loss[0])} → ${g(run.loss[run.steps])}; ${run.increases} loss increase${run.increases === 1 ? '' : 's'}, K = ${run.K}${sharp}`;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['out', 'lrs', 'steps', 'sharpness-every', 'optimizer', 'top-k'], flags: ['help', 'with-params'] });
  if (args.options.has('help')) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  if (args.positionals.length !== 1) throw new UsageError('expected one config file with a "model" block, e.g. gdlab train examples/moons.gdlab.json --out run.json');
  const out = args.options.get('out');
  const format = out === undefined ? null : outputFormat(out, ['json', 'csv'] as const);
  if (out !== undefined) checkOutputPath(out); // before any computation
  const cfg = readConfig(args.positionals[0]);
  if (cfg.plain.model === undefined) throw new UsageError(`${cfg.file}:1:1: no "model" block: gdlab train needs a network, e.g. "model": { "kind": "mlp", "hidden": [32, 32], "data": { "generate": "chebyshev", "n": 64 } }`);

  const model = validateModelSpec(cfg.plain.model);
  const settings = validateTrainSettings(cfg.plain);
  if (model.errors || settings.errors) throw specErrors(cfg, [...underModel(model.errors ?? []), ...(settings.errors ?? [])]);
  const spec = model.spec;
  const learningRates = listOption(args, 'lrs') ?? settings.spec.learningRates;
  if (learningRates.length === 0) throw new UsageError('no learning rate: give --lrs 0.05,0.1 or "lr" / "learningRates" in the config');
  for (const eta of learningRates) if (!(eta > 0)) throw new UsageError(`--lrs: learning rates must be positive, got ${eta}`);
  const steps = args.options.has('steps') ? intOption(args, 'steps', 0, 0, 1_000_000) : settings.spec.steps;
  const sharpnessEvery = args.options.has('sharpness-every') ? intOption(args, 'sharpness-every', 0, 0, 1_000_000) : spec.sharpnessEvery;
  const topK = args.options.has('top-k') ? intOption(args, 'top-k', 1, 1, 4) : spec.topK;
  let optimizer = settings.spec.optimizer;
  const optName = args.options.get('optimizer');
  if (optName !== undefined) {
    const o = validateOptimizerSpec(optName);
    if (o.errors) throw new UsageError(`--optimizer: ${o.errors[0].message}`);
    optimizer = o.spec;
  }

  const csv = spec.kind !== 'matrix-factorization' && spec.data.source === 'csv' ? readCsv(cfg, spec.data.file) : undefined;
  const built = prepareModel(spec, csv);
  if (built.csvErrors) {
    const lines = built.csvErrors.map(formatCsvError);
    throw new UsageError(lines.join('\n'));
  }
  if (built.errors) throw specErrors(cfg, underModel(built.errors));
  const { model: ready } = built;
  process.stderr.write(`${ready.summary.description}; ${learningRates.length} learning rate${learningRates.length === 1 ? '' : 's'} × ${steps} steps, sharpness every ${sharpnessEvery || '—'}\n`);

  const progress = new Progress(learningRates.length * Math.max(steps, 1), 'train');
  let done = 0;
  const session = new TrainingSession(ready, {
    learningRates, steps, optimizer, sharpnessEvery, topK,
    onProgress: (p: TrainProgress) => {
      const now = Math.round(p.fraction * learningRates.length * Math.max(steps, 1));
      const detail = `η=${p.eta} step ${p.step} loss ${g(p.loss)}${Number.isFinite(p.sharpness) ? ` λ_max ${g(p.sharpness)} (threshold ${g(p.threshold)})` : ''}`;
      progress.tick(now - done, detail);
      done = now;
    },
  });
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\nstopping… (Ctrl-C again to quit without writing)\n');
    session.cancel();
  };
  process.on('SIGINT', onSigint);
  try {
    let slice = 16;
    while (!session.done) {
      const t = performance.now();
      session.advance(slice);
      const ms = performance.now() - t;
      // aim at ~50 ms between event-loop turns so Ctrl-C is handled promptly
      slice = Math.max(1, Math.min(4096, Math.round(slice * (ms > 0 ? Math.min(2, 50 / ms) : 2))));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    process.off('SIGINT', onSigint);
    progress.done();
  }

  const result = session.result();
  for (const r of result.runs) process.stderr.write(runSummary(r) + '\n');
  if (out !== undefined && format !== null) {
    const text = format === 'json'
      ? trainResultJson(result, { config: path.basename(cfg.file) }, args.options.has('with-params'))
      : trainRunsCsv(result);
    writeAtomic(out, text);
    process.stderr.write(`wrote ${out}${result.cancelled ? ' (cancelled: partial results)' : ''}\n`);
  }
  return result.cancelled ? 130 : 0;
}
