/**
 * `gdlab reproduce` end to end on the built CLI (npm test builds first): small grid, real worker
 * pool. Checks the outputs against the paper's thresholds, the paper's statements on Figure 2
 * (recomputed here from the fractions in summary.json), Figure 3's classification, the report's
 * columns and offline-ness, and that the console counts the files it wrote.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PixelClass } from '../../../src/engine/types';

const root = path.join(__dirname, '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

interface Row {
  function: string;
  etaFraction: number;
  etaMax: number;
  stable: number;
  unstable: number;
  diverged: number;
  notConverged: number;
  other: number;
  classFractions: number[];
  unstableShareOfConverging: number;
}

test('reproduce writes Figures 2/3 (PNG, SVG, PDF), summary and a self-contained report', { timeout: 180_000 }, () => {
  assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` (npm test does)');
  const out = mkdtempSync(path.join(tmpdir(), 'gdlab-reproduce-'));
  try {
    const run = spawnSync(process.execPath, [cli, 'reproduce', '--grid', '48', '--out', out, '--workers', '2'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const files = readdirSync(out);
    for (const f of ['figure2.png', 'figure2.svg', 'figure2.pdf', 'figure3.png', 'figure3.svg', 'figure3.pdf', 'summary.json', 'summary.md', 'report.html', 'f4-landscape.png', 'f4-eta0.95.png', 'figure3-map.png']) {
      assert.ok(files.includes(f), `${f} missing; have ${files.join(', ')}`);
    }
    assert.ok(!files.some((f) => f.includes('.tmp-')), 'no temporary files left behind');
    // The console counts what is on disk.
    const m = /Wrote (\d+) files to .*: (\d+) PNGs, (\d+) SVGs, (\d+) PDFs/.exec(run.stdout);
    assert.ok(m, run.stdout.slice(-300));
    const count = (ext: string) => files.filter((f) => f.endsWith(ext)).length;
    assert.deepEqual([Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])], [files.length, count('.png'), count('.svg'), count('.pdf')]);
    const png = readFileSync(path.join(out, 'figure2.png'));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    assert.ok(readFileSync(path.join(out, 'figure3.pdf')).toString('latin1').startsWith('%PDF-'));

    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as {
      classes: { code: number; key: string; label: string }[];
      figure2: Row[];
      claims: { holds: boolean };
      figure3: { trajectories: Array<{ init: number[]; outcome: string; K: number; enteredCertifiedAt: number | null; steps: number; tail: number }> };
    };
    assert.equal(summary.figure2.length, 20, 'four functions × five learning rates');
    assert.deepEqual(summary.classes.map((c) => c.code), Object.values(PixelClass).sort((a, b) => a - b), 'every class code, in order');
    const paper: Record<string, number> = { f1: 1, f2: 1, f3: 1 / 6, f4: 10 / 19 };
    for (const row of summary.figure2) {
      assert.ok(Math.abs(row.etaMax - paper[row.function]) < 1e-9, `${row.function}: η_max ${row.etaMax} vs paper ${paper[row.function]}`);
      const total = row.classFractions.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(total - 1) < 1e-9, 'class fractions add up to 1');
      assert.equal(row.classFractions[PixelClass.Stable], row.stable);
      assert.equal(row.classFractions[PixelClass.Unstable], row.unstable);
      assert.equal(row.classFractions[PixelClass.Other], row.other);
      assert.ok(Math.abs(row.unstableShareOfConverging - row.unstable / (row.stable + row.unstable)) < 1e-12);
    }
    // The paper's statements on Figure 2, from the fractions: at the smallest η every start in the
    // f1 and f2 windows converges stably; in every row the unstable share of converging starts
    // never falls as η rises, and ends above where it started.
    const smallest = Math.min(...summary.figure2.map((r) => r.etaFraction));
    for (const id of ['f1', 'f2']) {
      const low = summary.figure2.find((r) => r.function === id && r.etaFraction === smallest) as Row;
      assert.equal(low.stable, 1, `${id} at ${smallest}·η_max: ${low.stable} stable`);
    }
    for (const id of ['f1', 'f2', 'f3', 'f4']) {
      const shares = summary.figure2.filter((r) => r.function === id).sort((a, b) => a.etaFraction - b.etaFraction).map((r) => r.stable + r.unstable > 0 ? r.unstable / (r.stable + r.unstable) : 0);
      for (let i = 1; i < shares.length; i++) assert.ok(shares[i] >= shares[i - 1], `${id}: unstable share falls from ${shares[i - 1]} to ${shares[i]}`);
      assert.ok(shares[shares.length - 1] > shares[0], `${id}: unstable share grows towards η_max (${shares.join(', ')})`);
    }
    assert.equal(summary.claims.holds, true, 'the summary says so too');

    const [unstable, stable] = summary.figure3.trajectories;
    assert.deepEqual(unstable.init, [0.1, 2.5]);
    assert.equal(unstable.outcome, 'unstable');
    assert.ok(unstable.K >= 1);
    assert.ok(unstable.enteredCertifiedAt !== null && unstable.enteredCertifiedAt >= unstable.K, 'enters the certified region after the unstable phase');
    assert.equal(unstable.steps, unstable.enteredCertifiedAt, 'steps = the step of the decision: entering the certified region');
    assert.ok(unstable.tail > 0, 'the run is drawn beyond the decision');
    assert.deepEqual(stable.init, [1.5, 2]);
    assert.equal(stable.outcome, 'stable');
    assert.equal(stable.K, 0);

    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    assert.ok(!/https?:\/\//i.test(html.replace(/data:[^"]*/g, '')), 'report.html names no network address outside its data: URIs');
    assert.ok(!/<script/i.test(html), 'no script');
    const header = /<tr><th>f<\/th>(.*?)<\/tr>/.exec(html);
    assert.ok(header, 'a table header');
    for (const c of summary.classes) assert.ok(header[1].includes(`</span>${c.label}</th>`), `a column for '${c.label}'`);
    assert.equal((html.match(/<tr><td>f\d<\/td>/g) ?? []).length, 20, 'a table row per map');
    assert.equal((html.match(/<img class="figure" src="data:image\/svg\+xml;base64,/g) ?? []).length, 2, 'Figures 2 and 3 inlined');
    assert.equal((html.match(/<img class="sweep" src="data:image\/svg\+xml;base64,/g) ?? []).length, 4, 'a sweep chart per function');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('reproduce rejects bad options with exit code 2', () => {
  for (const [args, message] of [
    [['--grid', 'abc'], /--grid must be a number/],
    [['--scale', '0'], /--scale must be a number from 0.25 to 8/],
  ] as const) {
    const run = spawnSync(process.execPath, [cli, 'reproduce', ...args], { encoding: 'utf8' });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, message);
  }
});
