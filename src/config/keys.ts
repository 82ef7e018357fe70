/**
 * Top-level keys nobody reads: each gets a warning on the key with the nearest known key
 * ("Grid" → grid, "learning_rate" → lr), and duplicates get an error. Bounded work: names are
 * compared only up to 64 characters, with a banded edit distance.
 */
import { CONFIG_KEYS, KEY_ALIASES, type ConfigKey } from './validators/registry';
import { quote, type ValidationContext } from './validators/context';

const MAX_COMPARED = 64;

/** lower case, without '_', '-', '.' and spaces: "learning_rate" → "learningrate" */
function squash(key: string): string {
  let out = '';
  for (const c of key.toLowerCase()) if (c !== '_' && c !== '-' && c !== ' ' && c !== '.') out += c;
  return out;
}

/** Optimal-string-alignment distance (adjacent swaps count 1), or Infinity when above `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return Infinity;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prev2[j - 2] as number) + 1);
      cur.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return Infinity;
    prev2 = prev;
    prev = cur;
  }
  const d = prev[b.length] as number;
  return d <= limit ? d : Infinity;
}

/** The known key a user most likely meant, or undefined. */
export function nearestKey(key: string): ConfigKey | undefined {
  if (key.length > MAX_COMPARED) return undefined;
  const s = squash(key);
  if (s === '') return undefined;
  const exact = CONFIG_KEYS.find((k) => squash(k) === s);
  if (exact) return exact;
  const alias = KEY_ALIASES.get(s);
  if (alias) return alias;
  // a typo: at most 1 edit for short keys, 2 from 6 characters on
  let best: ConfigKey | undefined;
  let bestDistance = Infinity;
  for (const k of CONFIG_KEYS) {
    const target = squash(k);
    const limit = Math.min(target.length, s.length) >= 6 ? 2 : 1;
    const d = editDistance(s, target, limit);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  if (best) return best;
  for (const [alias2, k] of KEY_ALIASES) if (alias2.length >= 6 && editDistance(s, alias2, 1) <= 1) return k;
  return undefined;
}

/** Unknown keys warned one by one; beyond this, one warning counts the rest (bounded work and noise). */
const MAX_UNKNOWN_WARNINGS = 20;

/** Warnings for unknown keys, errors for duplicates; records the ranges of known keys. */
export function checkTopLevelKeys(ctx: ValidationContext): void {
  const known = new Set<string>(CONFIG_KEYS);
  const seen = new Set<string>();
  let unknown = 0;
  let duplicates = 0;
  const unknownTotal = ctx.root.entries.filter((e) => !known.has(e.key) && e.key !== '<<').length;
  for (const entry of ctx.root.entries) {
    if (seen.has(entry.key) && ++duplicates <= MAX_UNKNOWN_WARNINGS) ctx.err(entry.keyRange, `${quote(entry.key, 40)} is given twice; keep one`, 'duplicate-key');
    seen.add(entry.key);
    if (entry.key === '<<') {
      ctx.warn(entry.keyRange, 'YAML merge keys (<<) are not supported, so nothing is merged from it: write the keys out here', 'yaml-merge');
      continue;
    }
    if (!known.has(entry.key)) {
      if (++unknown > MAX_UNKNOWN_WARNINGS) {
        if (unknown === MAX_UNKNOWN_WARNINGS + 1) ctx.warn(entry.keyRange, `${unknownTotal - MAX_UNKNOWN_WARNINGS} more unknown keys (ignored), from here on`, 'unknown-key');
        continue;
      }
      const suggestion = nearestKey(entry.key);
      const hint = suggestion ? `; did you mean "${suggestion}"?` : `. Known keys: ${CONFIG_KEYS.filter((k) => k !== '$schema').join(', ')}`;
      ctx.warn(entry.keyRange, `unknown key ${quote(entry.key, 40)} (ignored)${hint}`, 'unknown-key');
      continue;
    }
    const key = entry.key as ConfigKey;
    if (ctx.result.keyRanges[key] === undefined) {
      ctx.result.keyRanges[key] = entry.keyRange;
      ctx.result.valueRanges[key] = entry.value.range;
    }
  }
}
