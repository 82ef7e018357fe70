#!/usr/bin/env node
/**
 * Digests of every per-pixel output array of the example maps, for checking that a change to the
 * kernel, the pool or the CLI leaves the maps byte-identical:
 *
 *   node scripts/map-digests.mjs [path/to/dist/cli.js] > before.json   (on the old build)
 *   node scripts/map-digests.mjs [path/to/dist/cli.js] > after.json    (on the new build)
 *   diff before.json after.json
 *
 * The maps: f1–f4 of Figure 2 at each of their configs' lrFractions (f2, which has none, at ¼, ½
 * and 1 × its lr), f3 at 512² and 0.95·η_max (the benchmark's map), Figure 3 (f4 at lr 0.25) and
 * the optimizer examples (examples/f4-*.gdlab.json) at each of their fractions / learning rates,
 * all through `gdlab basin … --out map.json` (the pool's workers). Each line of the output names a
 * map and gives the SHA-256 of its classes, minimum, steps, K, increases, limitSharpness and
 * period arrays and of the rest of the JSON (stats, minima, certificates).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.resolve(process.argv[2] ?? path.join(root, 'dist', 'cli.js'));
const examples = path.join(root, 'examples');
const ARRAYS = ['classes', 'minimum', 'steps', 'K', 'increases', 'limitSharpness', 'period'];

/** [label, config, eta arguments] of every map. */
function maps() {
  const list = [];
  const config = (name) => JSON.parse(readFileSync(path.join(examples, name), 'utf8'));
  for (const k of [1, 2, 3, 4]) {
    const name = `figure2-f${k}.gdlab.json`;
    const c = config(name);
    // a config without lrFractions (f2: its minima are not strict, so there is no η_max) at lr·{¼, ½, 1}
    if (c.lrFractions) for (const f of c.lrFractions) list.push([`${name} eta-frac ${f}`, name, ['--eta-frac', String(f)]]);
    else for (const m of [0.25, 0.5, 1]) list.push([`${name} eta ${c.lr * m}`, name, ['--eta', String(c.lr * m)]]);
  }
  list.push(['figure2-f3.gdlab.json eta-frac 0.95 grid 512', 'figure2-f3.gdlab.json', ['--eta-frac', '0.95', '--grid', '512']]);
  list.push(['figure3-f4.gdlab.json eta 0.25', 'figure3-f4.gdlab.json', ['--eta', String(config('figure3-f4.gdlab.json').lr)]]);
  for (const name of ['f4-gd.gdlab.json', 'f4-momentum.gdlab.json']) {
    for (const f of config(name).lrFractions) list.push([`${name} eta-frac ${f}`, name, ['--eta-frac', String(f)]]);
  }
  for (const eta of config('f4-adam.gdlab.json').learningRates) list.push([`f4-adam.gdlab.json eta ${eta}`, 'f4-adam.gdlab.json', ['--eta', String(eta)]]);
  return list;
}

const sha = (value) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

const dir = mkdtempSync(path.join(tmpdir(), 'gdlab-digests-'));
const out = {};
try {
  for (const [label, name, eta] of maps()) {
    const file = path.join(dir, 'map.json');
    const r = spawnSync(process.execPath, [cli, 'basin', path.join(examples, name), ...eta, '--out', file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${label}: gdlab basin exited with ${r.status}: ${r.stderr}`);
    const map = JSON.parse(readFileSync(file, 'utf8'));
    const entry = {};
    for (const key of ARRAYS) {
      if (!Array.isArray(map[key])) throw new Error(`${label}: no array '${key}' in the map JSON`);
      entry[key] = sha(map[key]);
      delete map[key];
    }
    entry.rest = sha(map);
    out[label] = entry;
    process.stderr.write(`${label}: ${Object.values(entry).join(' ')}\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
