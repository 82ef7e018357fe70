// One build script, separate entry points (extension host, worker, webview, CLI).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/**
 * The engine uses mathjs' parser only (src/engine/mathjs.ts imports its factories). Through the
 * package index, a bundle whose modules are initialised lazily (the CLI's commands are loaded with
 * import()) would keep — and run at start-up — every mathjs function. This plugin points that one
 * import at the factories' own modules, so every bundle carries just the parser (~200 kB).
 */
const mathjsRoot = path.dirname(createRequire(import.meta.url).resolve('mathjs/package.json'));
const PARSER_FACTORIES = {
  createParse: 'expression/parse.js',
  createNumber: 'type/number.js',
  ...Object.fromEntries(
    ['Accessor', 'Array', 'Assignment', 'Block', 'Conditional', 'Constant', 'FunctionAssignment', 'Function', 'Index', 'Object', 'Operator', 'Parenthesis', 'Range', 'Relational', 'Symbol', '']
      .map((k) => [`create${k}Node`, `expression/node/${k}Node.js`]),
  ),
};
const mathjsParserOnly = {
  name: 'mathjs-parser-only',
  setup(build) {
    build.onResolve({ filter: /^mathjs$/ }, (args) =>
      args.importer.endsWith(path.join('src', 'engine', 'mathjs.ts')) ? { path: 'mathjs-parser', namespace: 'mathjs-parser' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'mathjs-parser' }, () => ({
      contents: Object.entries(PARSER_FACTORIES)
        .map(([name, file]) => `export { ${name} } from ${JSON.stringify(path.join(mathjsRoot, 'lib', 'esm', file))};`)
        .join('\n'),
      resolveDir: mathjsRoot,
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  plugins: [mathjsParserOnly],
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/extension/extension.ts' },
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    outdir: 'dist',
    external: ['vscode'],
  },
  {
    // the extension host's text modules (config parser, mathjs, yaml), loaded on first use
    ...common,
    entryPoints: { text: 'src/config/index.ts' },
    platform: 'node',
    // jsonc-parser's "main" is a UMD build with runtime requires esbuild cannot follow: use its ESM build
    mainFields: ['module', 'main'],
    format: 'cjs',
    target: 'node18',
    outdir: 'dist',
  },
  {
    ...common,
    entryPoints: { worker: 'src/compute/worker.ts' },
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    outdir: 'dist',
  },
  {
    // the CLI itself; started through dist/cli.js (below)
    ...common,
    entryPoints: { 'cli-main': 'src/cli/main.ts' },
    platform: 'node',
    mainFields: ['module', 'main'], // jsonc-parser: its UMD "main" does not bundle
    format: 'cjs',
    target: 'node18',
    outdir: 'dist',
  },
  {
    // `gdlab`: runs dist/cli-main.js through V8's code cache (src/launch/cli.ts)
    ...common,
    entryPoints: { cli: 'src/launch/cli.ts' },
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: { webview: 'webview/main.ts' },
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    outdir: 'dist',
    loader: { '.css': 'text' },
  },
];

mkdirSync('dist', { recursive: true });

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  // The CLI is run as `gdlab`: make it directly executable.
  chmodSync('dist/cli.js', 0o755);
  // One run of the CLI stores V8's compiled code beside the bundle (read-only at run time).
  const cacheFile = path.resolve('dist', 'cli-main.js.cache');
  rmSync(cacheFile, { force: true });
  const warm = spawnSync(process.execPath, ['dist/cli.js', 'analyze', 'x^2 + y^2'], { env: { ...process.env, GDLAB_WRITE_CODE_CACHE: cacheFile }, stdio: 'ignore' });
  if (warm.status !== 0) console.warn(`note: the CLI warm-up run for the code cache exited with ${warm.status}; gdlab starts without it`);
}
