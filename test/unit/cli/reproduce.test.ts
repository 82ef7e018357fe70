/**
 * `gdlab reproduce` end to end on the built CLI (npm test builds first): small grid, real worker
 * pool. Checks the outputs against the paper's thresholds and Figure 3's classification.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

test('reproduce writes Figure 2/3 panels, summary and a self-contained report', { timeout: 120_000 }, () => {
  assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` (npm test does)');
  const out = mkdtempSync(path.join(tmpdir(), 'gdlab-reproduce-'));
  try {
    const run = spawnSync(process.execPath, [cli, 'reproduce', '--grid', '48', '--out', out, '--workers', '2'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const files = readdirSync(out);
    for (const f of ['figure2.png', 'figure3.png', 'summary.json', 'summary.md', 'report.html', 'f4-landscape.png', 'f4-eta0.95.png', 'figure3-trajectories.png']) {
      assert.ok(files.includes(f), `${f} missing; have ${files.join(', ')}`);
    }
    assert.ok(!files.some((f) => f.includes('.tmp-')), 'no temporary files left behind');
    const png = readFileSync(path.join(out, 'figure2.png'));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');

    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as {
      figure2: Array<{ function: string; etaFraction: number; etaMax: number; stable: number; unstable: number; diverged: number; notConverged: number; other: number }>;
      figure3: { trajectories: Array<{ init: number[]; outcome: string; K: number }> };
    };
    assert.equal(summary.figure2.length, 20, 'four functions × five learning rates');
    const paper: Record<string, number> = { f1: 1, f2: 1, f3: 1 / 6, f4: 10 / 19 };
    for (const row of summary.figure2) {
      assert.ok(Math.abs(row.etaMax - paper[row.function]) < 1e-9, `${row.function}: η_max ${row.etaMax} vs paper ${paper[row.function]}`);
      const total = row.stable + row.unstable + row.diverged + row.notConverged + row.other;
      assert.ok(Math.abs(total - 1) < 1e-9, 'fractions add up to 1');
    }
    // Figure 2's trend: at 0.2·η_max no (or almost no) unstable starts; at 0.99·η_max more than at 0.2.
    for (const id of ['f1', 'f3', 'f4']) {
      const low = summary.figure2.find((r) => r.function === id && r.etaFraction === 0.2);
      const high = summary.figure2.find((r) => r.function === id && r.etaFraction === 0.99);
      assert.ok(low && high);
      assert.ok(low.unstable < 0.01, `${id} at 0.2 η_max: unstable ${low.unstable}`);
      assert.ok(high.unstable > low.unstable, `${id}: unstable share grows towards η_max`);
    }
    const [unstable, stable] = summary.figure3.trajectories;
    assert.deepEqual(unstable.init, [0.1, 2.5]);
    assert.equal(unstable.outcome, 'unstable');
    assert.ok(unstable.K >= 1);
    assert.deepEqual(stable.init, [1.5, 2]);
    assert.equal(stable.outcome, 'stable');

    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    assert.ok(!/(src|href)=["']https?:/i.test(html), 'report.html loads nothing from the network');
    assert.ok((html.match(/data:image\/png;base64,/g) ?? []).length >= 25, 'panels are inlined');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('reproduce rejects bad options with exit code 2', () => {
  const run = spawnSync(process.execPath, [cli, 'reproduce', '--grid', 'abc'], { encoding: 'utf8' });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /--grid must be a number/);
});
