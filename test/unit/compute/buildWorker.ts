/**
 * Builds src/compute/worker.ts into a temporary bundle with esbuild, so the pool tests exercise
 * real worker_threads on the current sources (never on a stale dist/worker.js).
 */
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export function buildTestWorker(): { script: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'gdlab-worker-'));
  const script = path.join(dir, 'worker.js');
  buildSync({
    entryPoints: [path.join(__dirname, '..', '..', '..', 'src', 'compute', 'worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    outfile: script,
    logLevel: 'silent',
  });
  return { script, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
