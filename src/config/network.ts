/**
 * The network side of a config: a `model` block (with `lr` / `learningRates`, `maxSteps` and
 * `optimizer` at the top level) → the validated model and training settings, every problem on
 * the exact range of the key or value it is about (the engine's validators give JSON paths; the
 * position tree gives their ranges), and the NetworkSession the panel shows. CSV problems are
 * put on the `csv` value with the CSV's file:line:column in the message. Pure: no vscode, no I/O.
 */
import type { CsvError } from '../engine/nn/csv';
import { validateModelSpec, type ModelSpec } from '../engine/nn/spec';
import { describeOptimizer } from '../engine/nn/optimizers';
import { isAdaptive } from '../engine/optimizers/spec';
import { sharpnessLimit } from '../engine/optimizers/thresholds';
import { validateTrainSettings, type TrainSettings } from '../engine/nn/settings';
import type { JsonPath, Plain, PlainObject, SpecError } from '../engine/nn/specCheck';
import type { SourceRange } from '../engine/types';
import { thresholdName, type NetworkSession } from '../shared/networkSession';

export { thresholdName };
import { getEntry, parsePositionTree, type ConfigFormat, type PosEntry, type PosNode } from './tree';

/** A problem of a network config (the same shape as the config's issues). */
export interface NetworkIssue {
  severity: 'error' | 'warning' | 'information';
  message: string;
  range: SourceRange;
  code: string;
}

export interface NetworkConfig {
  /** the validated model (null while it has errors) */
  model: ModelSpec | null;
  train: TrainSettings | null;
  name?: string;
  /** the CSV file as written (relative to the config) and the range of that value */
  csv?: { file: string; range: SourceRange };
  /** each learning rate as written, with its range (for the hover) */
  learningRates: { eta: number; range: SourceRange }[];
  /** the `model` key's range (CodeLens, messages about the whole block) */
  modelKeyRange: SourceRange;
  issues: NetworkIssue[];
}

/** The plain data of a position-tree node (what JSON.parse / YAML would give). */
export function plainOf(node: PosNode): Plain {
  switch (node.kind) {
    case 'object': {
      const out: PlainObject = {};
      for (const e of node.entries) out[e.key] = plainOf(e.value);
      return out;
    }
    case 'array': return node.items.map(plainOf);
    case 'string': case 'number': case 'boolean': return node.value;
    default: return null;
  }
}

/**
 * The range a JSON path's problem is shown on: the value at the path when it exists (the key, for
 * an unknown key); else the deepest existing node's key (a missing key is reported on the object
 * that lacks it, at that object's key).
 */
export function rangeOfPath(root: PosNode, path: JsonPath, preferKey = false): SourceRange {
  let node = root;
  let entry: PosEntry | undefined;
  for (const p of path) {
    if (node.kind === 'object' && typeof p === 'string') {
      const e = node.entries.find((x) => x.key === p);
      if (!e) return entry ? entry.keyRange : node.range;
      entry = e;
      node = e.value;
    } else if (node.kind === 'array' && typeof p === 'number' && node.items[p]) {
      node = node.items[p];
      entry = undefined;
    } else {
      return entry ? entry.keyRange : node.range;
    }
  }
  return preferKey && entry ? entry.keyRange : node.range;
}

function toIssue(root: PosNode, e: SpecError, code: string): NetworkIssue {
  // an unknown key is marked at that key; a missing one at the key of the object that lacks it
  const atKey = e.message.startsWith('unknown key') || e.message.startsWith('missing "');
  return { severity: 'error', message: e.message, range: rangeOfPath(root, e.path, atKey), code };
}

/** True when the config text has a top-level `model` key (cheap check before the full validation). */
export function hasModel(root: PosNode | null): boolean {
  return getEntry(root, 'model') !== undefined;
}

/** Validates the network part of a parsed config (null when it has no `model` key). */
export function networkFromTree(root: PosNode | null): NetworkConfig | null {
  const modelEntry = getEntry(root, 'model');
  if (!root || root.kind !== 'object' || !modelEntry) return null;
  const plain = plainOf(root) as PlainObject;
  const issues: NetworkIssue[] = [];
  const m = validateModelSpec(plain.model);
  for (const e of m.errors ?? []) issues.push(toIssue(root, { path: ['model', ...e.path], message: e.message }, 'model'));
  const t = validateTrainSettings(plain);
  for (const e of t.errors ?? []) issues.push(toIssue(root, e, 'training'));
  if (t.spec && t.spec.learningRates.length === 0) {
    issues.push({ severity: 'error', message: 'no learning rate: give "lr": 0.1 or "learningRates": [0.05, 0.1] to train the network', range: modelEntry.keyRange, code: 'training' });
  }
  const learningRates: NetworkConfig['learningRates'] = [];
  const lr = getEntry(root, 'lr');
  if (lr?.value.kind === 'number') learningRates.push({ eta: lr.value.value, range: lr.value.range });
  const list = getEntry(root, 'learningRates');
  if (list?.value.kind === 'array') for (const item of list.value.items) if (item.kind === 'number') learningRates.push({ eta: item.value, range: item.range });
  const csvNode = modelEntry.value.kind === 'object' ? getEntry(getEntry(modelEntry.value, 'data')?.value ?? null, 'csv') : undefined;
  const name = getEntry(root, 'name');
  return {
    model: m.spec ?? null,
    train: t.spec && t.spec.learningRates.length > 0 ? t.spec : null,
    ...(name?.value.kind === 'string' ? { name: name.value.value } : {}),
    ...(csvNode?.value.kind === 'string' ? { csv: { file: csvNode.value.value, range: csvNode.value.range } } : {}),
    learningRates,
    modelKeyRange: modelEntry.keyRange,
    issues,
  };
}

/** Parses and validates the network part of a config text (syntax errors are the config parser's). */
export function networkConfig(text: string, format: ConfigFormat): NetworkConfig | null {
  return networkFromTree(parsePositionTree(text, format).root);
}

/** CSV problems as issues on the config's `csv` value, each naming file:line:column. */
export function csvIssues(config: NetworkConfig, errors: readonly CsvError[]): NetworkIssue[] {
  const range = config.csv?.range ?? config.modelKeyRange;
  return errors.map((e) => ({ severity: 'error', message: `${e.file}:${e.line}:${e.column}: ${e.message}`, range, code: 'csv' }));
}

/** The session the panel shows for a valid network config (null while it has errors). */
export function networkSession(config: NetworkConfig, extra: { title: string; sourceUri?: string; csvUri?: string }): NetworkSession | null {
  const { model, train } = config;
  if (!model || !train || config.issues.some((i) => i.severity === 'error')) return null;
  return {
    kind: 'network',
    title: config.name ?? extra.title,
    model,
    learningRates: train.learningRates.slice(),
    steps: train.steps,
    optimizer: train.optimizer,
    optimizerLabel: describeOptimizer(train.optimizer),
    thresholds: train.learningRates.map((eta) => sharpnessLimit(train.optimizer, eta)),
    preconditioned: isAdaptive(train.optimizer),
    ...(extra.csvUri ? { csvUri: extra.csvUri } : {}),
    ...(extra.sourceUri ? { sourceUri: extra.sourceUri } : {}),
  };
}

/* ------------------------------------------------------------------ hover on a learning rate */


/** The learning rate written at a document offset (its value's range contains the offset). */
export function networkLrAt(config: NetworkConfig, offset: number): NetworkConfig['learningRates'][number] | undefined {
  return config.learningRates.find((e) => offset >= e.range.start && offset <= e.range.end);
}

export interface NetworkRunInfo {
  steps: number;
  status: string;
  /** the last measured compared sharpness and its step (null: never measured) */
  sharpness: number | null;
  sharpnessStep: number | null;
  firstAtThreshold: number | null;
  K: number;
  /** when it ran (shown as a time) */
  at: Date;
}

export interface NetworkLrHoverInput {
  eta: number;
  threshold: number;
  /** '2/η', '(2+2β₁)/((1−β₁)η)', … */
  thresholdName: string;
  optimizerLabel: string;
  preconditioned: boolean;
  /** the model's description once built */
  description?: string;
  /** λ_max at θ_0: a number, 'pending', or an error message */
  initial: number | 'pending' | { error: string };
  /** the run at this η the panel last finished, if any */
  run?: NetworkRunInfo;
}

const num = (x: number, digits = 4): string => (Number.isFinite(x) ? String(Number(x.toPrecision(digits))) : String(x));

function versus(s: number, threshold: number, name: string): string {
  const r = s / threshold;
  const where = r < 0.85 ? 'below the threshold: GD is stable there' : r <= 1.15 ? 'at the threshold: the edge of stability' : 'above the threshold: GD is unstable there (the loss will oscillate or rise)';
  return `${num(s)} = ${num(r, 3)} × ${name} — ${where}`;
}

/** Markdown of the hover on `lr` / `learningRates[i]` in a network config. */
export function networkLrHoverMarkdown(h: NetworkLrHoverInput): string {
  const what = h.preconditioned ? 'the preconditioned sharpness λ_max(P⁻¹∇²L)' : 'the sharpness λ_max(∇²L)';
  const parts = [`**Learning rate η = ${num(h.eta)}** · ${h.optimizerLabel} · threshold ${h.thresholdName} = **${num(h.threshold)}**`];
  if (h.description) parts.push(`Network: ${h.description}`);
  const init = h.initial === 'pending'
    ? 'computing… (hover again in a moment)'
    : typeof h.initial === 'number' ? versus(h.initial, h.threshold, h.thresholdName) : `could not be computed: ${h.initial.error}`;
  parts.push(`At initialisation θ_0, ${what} = ${init}.`);
  if (h.run) {
    const r = h.run;
    const time = r.at.toTimeString().slice(0, 5);
    const end = r.sharpness === null || r.sharpnessStep === null
      ? 'was not measured (sharpnessEvery is 0)'
      : `at step ${r.sharpnessStep} = ${versus(r.sharpness, h.threshold, h.thresholdName)}`;
    const reach = r.firstAtThreshold === null ? `it never reached ${h.thresholdName}` : `it first reached ${h.thresholdName} at step ${r.firstAtThreshold}`;
    parts.push(`After the last run (${time}, ${r.status} after ${r.steps} steps): ${what} ${end}; ${reach}; unstable phase k < K = ${r.K}.`);
  } else {
    parts.push('Run ▶ Analyze to train it: the sharpness at the end of the run shows here too.');
  }
  return parts.join('\n\n');
}
