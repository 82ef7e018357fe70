// One build script, separate entry points (extension host, worker, webview, CLI).
import * as esbuild from 'esbuild';
import { chmodSync, mkdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
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
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    platform: 'node',
    mainFields: ['module', 'main'], // jsonc-parser: its UMD "main" does not bundle
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
}
