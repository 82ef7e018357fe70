/**
 * One list of functions: FUNCTIONS in src/engine/types.ts (what the expression parser accepts)
 * generates the function list in the JSON Schema's description of "objective" and the README's
 * function table. `npm run gen:functions` rewrites both; `--check` exits 1 when either is out of
 * date (a unit test checks the same).
 *
 * Usage: node --import tsx scripts/functions.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTIONS } from '../src/engine/types';

/** Forms the parser accepts besides the one-argument functions (each with an expression that uses it). */
export const EXTRA_FORMS = [
  { text: 'pow(a, b)', probe: 'pow(x, 3) + y^2' },
  { text: 'ln(x) = log(x)', probe: 'ln(x + 4) + y^2' },
  { text: 'log(x, b)', probe: 'log(x + 4, 2) + y^2' },
  { text: 'arcsin … arctanh = asin … atanh', probe: 'arcsin(x/4) + arctanh(y/4)' },
] as const;
export const CONSTANTS = ['pi', 'e'] as const;
export const PREFIXES = ['np.', 'numpy.', 'math.', 'torch.', 'jnp.'] as const;

const README_BEGIN = '<!-- functions:begin — generated from FUNCTIONS (src/engine/types.ts) by `npm run gen:functions`; do not edit by hand -->';
const README_END = '<!-- functions:end -->';

export function readmeBlock(): string {
  const code = (s: string) => `\`${s}\``;
  return [
    README_BEGIN,
    '| In an objective | |',
    '|---|---|',
    '| operators | `+ - * /`, `^` or `**`, implicit multiplication (`2x`), parentheses |',
    `| functions | ${FUNCTIONS.map(code).join(' ')} |`,
    `| also | ${EXTRA_FORMS.map((f) => code(f.text)).join(', ')} |`,
    `| constants | ${CONSTANTS.map(code).join(', ')} |`,
    `| prefixes dropped | ${PREFIXES.map(code).join(' ')} (code pasted from Python) |`,
    README_END,
  ].join('\n');
}

function schemaDescriptions(): { description: string; markdownDescription: string } {
  const plain = `${FUNCTIONS.join(' ')}, ${EXTRA_FORMS.map((f) => f.text).join(', ')}`;
  const md = `${FUNCTIONS.map((f) => `\`${f}\``).join(' ')}, ${EXTRA_FORMS.map((f) => `\`${f.text}\``).join(', ')}`;
  const prefixes = PREFIXES.join(', ');
  return {
    description: `The loss f to minimise, in math or Python/NumPy notation: + - * / ^ or **, implicit multiplication (2x), ${CONSTANTS.join(', ')}, and the functions ${plain}. Prefixes ${prefixes} are accepted. Variables are every other name, in natural order (x < y, w2 < w10) unless "variables" is given. It is parsed against this whitelist and never evaluated as code.`,
    markdownDescription: `The loss **f** to minimise, in math or Python/NumPy notation: \`+ - * / ^\` or \`**\`, implicit multiplication (\`2x\`), ${CONSTANTS.map((c) => `\`${c}\``).join(', ')}, and the functions ${md}. Prefixes ${PREFIXES.map((p) => `\`${p}\``).join(', ')} are accepted.\n\nVariables are every other name, in natural order (\`x < y\`, \`w2 < w10\`) unless \`variables\` is given. The text is parsed against this whitelist and never evaluated as code.`,
  };
}

/** The schema text with the objective's two descriptions regenerated (the rest of the file untouched). */
export function generateSchema(text: string): string {
  const { description, markdownDescription } = schemaDescriptions();
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\s*"objective": \{\s*$/.test(l));
  if (start < 0) throw new Error('schemas/gdlab.schema.json: no "objective" property');
  let replaced = 0;
  for (let i = start + 1; i < lines.length && !/^\s*\},?\s*$/.test(lines[i] as string); i++) {
    const m = /^(\s*)"(description|markdownDescription)": .*?(,?)$/.exec(lines[i] as string);
    if (!m) continue;
    const value = m[2] === 'description' ? description : markdownDescription;
    lines[i] = `${m[1]}"${m[2]}": ${JSON.stringify(value)}${m[3]}`;
    replaced++;
  }
  if (replaced !== 2) throw new Error(`schemas/gdlab.schema.json: expected "description" and "markdownDescription" under "objective", found ${replaced}`);
  return lines.join('\n');
}

/** The README with its function block regenerated. */
export function generateReadme(text: string): string {
  const begin = text.indexOf('<!-- functions:begin');
  const end = text.indexOf(README_END);
  if (begin < 0 || end < begin) throw new Error('README.md: no <!-- functions:begin … --> … <!-- functions:end --> block');
  return text.slice(0, begin) + readmeBlock() + text.slice(end + README_END.length);
}

const root = join(__dirname, '..');
export const TARGETS = [
  { file: 'schemas/gdlab.schema.json', generate: generateSchema },
  { file: 'README.md', generate: generateReadme },
] as const;

function main(): void {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const t of TARGETS) {
    const path = join(root, t.file);
    const before = readFileSync(path, 'utf8');
    const after = t.generate(before);
    if (after === before) continue;
    stale++;
    if (check) process.stderr.write(`${t.file} is out of date with FUNCTIONS: run npm run gen:functions\n`);
    else {
      writeFileSync(path, after);
      process.stdout.write(`updated ${t.file}\n`);
    }
  }
  if (check && stale > 0) process.exitCode = 1;
  else if (stale === 0) process.stdout.write('function lists are up to date\n');
}

if (process.argv[1] && /functions\.ts$/.test(process.argv[1])) main();
