/**
 * `gdlab` start-up (bundled to dist/cli.js; the CLI itself is dist/cli-main.js). Runs the CLI
 * bundle through V8's code cache: `npm run build` runs the CLI once and stores the compiled code
 * beside the bundle (dist/cli-main.js.cache), so later starts skip parsing and compiling most of
 * the bundle. The cache is read-only at run time and lives with the code it was made from (same
 * trust); V8 checks it against the source and the flags and ignores it when they differ (another
 * Node version), in which case the bundle is simply compiled as usual.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Script } from 'node:vm';

const file = path.join(__dirname, 'cli-main.js');
const cacheFile = `${file}.cache`;
const source = readFileSync(file, 'utf8');
let cachedData: Buffer | undefined;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined; // no cache (watch builds, a fresh checkout): compile normally
}
const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
const script = new Script(wrapper, { filename: file, cachedData });
if (process.env.GDLAB_WRITE_CODE_CACHE === cacheFile) {
  // build time only (esbuild.mjs): after a run, so the functions that ran are in the cache too
  process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
}
const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
const mod = { exports: {} };
run.call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
