#!/usr/bin/env node
// Lists the files inside the packaged .vsix (a zip) and fails if anything but what runs leaks in
// (sources, tests, source maps, node_modules, benchmarks, CI or e2e files) or if a required file
// is missing: the runtime bundles, the schema, the README and every local image the README shows.
// Usage: node scripts/check-vsix.mjs [dist-vsix/gd-stability-lab.vsix]
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'dist-vsix/gd-stability-lab.vsix';
let zip;
try {
  zip = readFileSync(file);
} catch (err) {
  console.error(`check-vsix: cannot read ${file}: ${err.message} (run \`npm run package\` first)`);
  process.exit(1);
}

// End of central directory record: signature 0x06054b50 within the last 64 KiB + 22 bytes.
let eocd = -1;
for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
  if (zip.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
}
if (eocd < 0) { console.error(`check-vsix: ${file} is not a zip archive`); process.exit(1); }
const count = zip.readUInt16LE(eocd + 10);
let offset = zip.readUInt32LE(eocd + 16);
const entries = [];
for (let k = 0; k < count; k++) {
  if (zip.readUInt32LE(offset) !== 0x02014b50) { console.error('check-vsix: corrupt central directory'); process.exit(1); }
  const size = zip.readUInt32LE(offset + 24);
  const nameLength = zip.readUInt16LE(offset + 28);
  const extraLength = zip.readUInt16LE(offset + 30);
  const commentLength = zip.readUInt16LE(offset + 32);
  entries.push({ name: zip.toString('utf8', offset + 46, offset + 46 + nameLength), size });
  offset += 46 + nameLength + extraLength + commentLength;
}

const forbidden = [
  [/(^|\/)node_modules\//, 'node_modules'],
  [/^extension\/src\//, 'TypeScript sources'],
  [/^extension\/(test|bench|scripts|\.ci|webview)\//, 'tests, benchmarks, scripts or webview sources'],
  [/\.ts$/, 'TypeScript sources'],
  [/\.map$/, 'source maps'],
  [/(^|\/)(tsconfig|eslint\.config|esbuild)\b/, 'build configuration'],
];
const required = ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/worker.js', 'extension/dist/webview.js', 'extension/schemas/gdlab.schema.json', 'extension/readme.md', 'extension/LICENSE.txt'];

let bad = 0;
console.log(`${file}: ${entries.length} entries`);
for (const e of entries) {
  const reason = forbidden.find(([re]) => re.test(e.name))?.[1];
  console.log(`  ${reason ? 'LEAK ' : '     '}${e.name} (${(e.size / 1024).toFixed(1)} KiB)${reason ? ` — ${reason}` : ''}`);
  if (reason) bad++;
}
// every local image the README shows must be packaged (the extension page renders the README)
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const images = [
  ...[...readme.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
  ...[...readme.matchAll(/<img\b[^>]*\bsrc=["']([^"']+)["']/gi)].map((m) => m[1]),
].filter((src) => !/^[a-z][a-z0-9+.-]*:/i.test(src) && !src.startsWith('#'));
for (const src of new Set(images)) required.push(`extension/${decodeURI(src).replace(/^\.\//, '')}`);

const names = new Set(entries.map((e) => e.name.toLowerCase()));
const missing = required.filter((r) => !names.has(r.toLowerCase()) && !(r.endsWith('LICENSE.txt') && names.has('extension/license')));
for (const m of missing) console.log(`  MISSING ${m}${images.some((i) => m.endsWith(i.replace(/^\.\//, ''))) ? ' (an image README.md shows)' : ''}`);
if (bad || missing.length) {
  console.error(`check-vsix: ${bad} leaked file(s), ${missing.length} missing file(s)`);
  process.exit(1);
}
console.log('check-vsix: only runtime files are packaged');
