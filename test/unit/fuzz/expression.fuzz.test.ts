/**
 * Property-based fuzzing of the expression layer with fast-check (seeded, a bounded number of
 * runs, a few seconds in all): random expressions from the grammar (whitelisted and refused
 * functions, hostile names, huge and tiny constants, deep chains) and mutations of valid ones
 * (deleted, inserted and repeated characters, control characters).
 *
 * Properties:
 * 1. every input ends as a result or as an ExpressionError whose range lies inside the text — no
 *    other exception type, ever (parse → IR → derivatives → generated code → evaluation);
 * 2. a hang guard: each call is timed and a call over 2 s fails the run. That is not a timing
 *    assertion in the benchmark sense (a normal call takes milliseconds; the guard only catches
 *    runaway work such as the exponential blow-ups this suite exists to prevent);
 * 3. where f is finite, the compiled f agrees with mathjs' `evaluate` of the same text, and ∇f
 *    with central differences of the compiled f (where those are well conditioned).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileObjective } from '../../../src/engine/compile';
import { parseExpression } from '../../../src/engine/expression';
import { ExpressionError, FUNCTIONS } from '../../../src/engine/types';
import { mathjsEvaluate } from '../support/mathjsOracle';

const SEED = 20261201;
const HANG_MS = 2000;

const variable = fc.constantFrom('x', 'y', 'w1', 'theta_2', 'constructor', '__proto__', 'toString', 'x');
const number = fc.oneof(
  fc.constantFrom('0', '1', '2', '0.5', '3.25', '1e308', '1e-320', '10', '1e400', '0.1', '7'),
  fc.integer({ min: 0, max: 99 }).map(String),
);
const constant = fc.constantFrom('pi', 'e', 'NaN', 'Infinity', 'i', 'true');
const fnName = fc.oneof(fc.constantFrom(...FUNCTIONS), fc.constantFrom('ln', 'abs', 'foo', 'constructor', 'eval', 'np.exp', 'math.sin', 'torch.log'));
const binary = fc.constantFrom(' + ', ' - ', '*', '/', '^', '**', ' ', '');

const { expr } = fc.letrec<{ expr: string; leaf: string; node: string }>((tie) => ({
  leaf: fc.oneof({ weight: 5, arbitrary: variable }, { weight: 3, arbitrary: number }, { weight: 1, arbitrary: constant }),
  node: fc.oneof(
    fc.tuple(tie('expr'), binary, tie('expr')).map(([a, op, b]) => `${a}${op}${b}`),
    tie('expr').map((a) => `-${a}`),
    tie('expr').map((a) => `(${a})`),
    fc.tuple(fnName, tie('expr')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `pow(${a}, ${b})`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `log(${a}, ${b})`),
  ),
  expr: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('node')),
}));

/** Edits of a valid expression: delete, insert, repeat, and odd characters. */
const mutated = fc
  .tuple(expr, fc.array(fc.tuple(fc.nat(), fc.constantFrom('del', 'ins', 'rep'), fc.constantFrom('(', ')', '^', '*', '.', '[', ']', '"', ',', ';', '=', '$', '#', '?', ':', '!', 'x', '2', 'e', ' ', '\u0000', '\u202e', '\u200b', '\u001b[2J', '\n')), { maxLength: 4 }))
  .map(([text, edits]) => {
    let s = text;
    for (const [at, kind, ch] of edits) {
      const k = s.length === 0 ? 0 : at % (s.length + 1);
      if (kind === 'del') s = s.slice(0, k) + s.slice(k + 1);
      else if (kind === 'ins') s = s.slice(0, k) + ch + s.slice(k);
      else s = s.slice(0, k) + s.slice(k, k + 3).repeat(1 + (at % 40)) + s.slice(k + 3);
    }
    return s;
  });

/** Long, deep and wide inputs built from the grammar's pieces. */
const stress = fc.oneof(
  fc.integer({ min: 1, max: 400 }).map((k) => 'x^'.repeat(k) + 'x + y^2'),
  fc.integer({ min: 1, max: 300 }).map((k) => '('.repeat(k) + 'x' + ')'.repeat(k)),
  fc.integer({ min: 1, max: 2000 }).map((k) => 'x*'.repeat(k) + 'y'),
  fc.integer({ min: 1, max: 250 }).map((k) => Array.from({ length: k }, (_, i) => `w${i}^2`).join(' + ')),
  fc.integer({ min: 1, max: 150 }).map((k) => 'sin('.repeat(k) + 'x*y' + ')'.repeat(k)),
  fc.integer({ min: 1, max: 60 }).map((k) => '-'.repeat(k * 5) + 'x + y'),
);

type Outcome = { kind: 'ok'; text: string } | { kind: 'refused'; error: ExpressionError };

/** Parse → IR → derivatives → code → one evaluation; fails on anything but ExpressionError. */
function runOne(text: string): Outcome {
  const started = performance.now();
  const outcome = attempt(text);
  const ms = performance.now() - started;
  if (ms > HANG_MS) throw new Error(`hang guard: ${ms.toFixed(0)} ms for ${JSON.stringify(text.slice(0, 200))}`);
  return outcome;
}

function attempt(text: string): Outcome {
  try {
    const parsed = parseExpression(text);
    const obj = compileObjective(parsed);
    const x = new Float64Array(obj.n).fill(0.37);
    const g = new Float64Array(obj.n);
    obj.valueAndGradient(x, g);
    if (obj.n <= 12) obj.hessian(x, new Float64Array(obj.n * obj.n));
    return { kind: 'ok', text };
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw new Error(`not an ExpressionError for ${JSON.stringify(text.slice(0, 200))}: ${err instanceof Error ? err.stack : String(err)}`);
    const { start, end } = err.range;
    const inside = text.length === 0 ? start === 0 && end === 1 : Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= text.length;
    if (!inside) throw new Error(`range ${JSON.stringify(err.range)} is not inside ${JSON.stringify(text.slice(0, 200))} (${text.length} characters): ${err.message}`);
    if (/[\n\r]/.test(err.message)) throw new Error(`the message is not one line: ${JSON.stringify(err.message)}`);
    return { kind: 'refused', error: err };
  }
}

test('fuzz: grammar expressions end as a result or a positioned ExpressionError, never hang', () => {
  let refusedCount = 0;
  fc.assert(
    fc.property(expr, (text) => {
      if (runOne(text).kind === 'refused') refusedCount++;
    }),
    { seed: SEED, numRuns: 1500 },
  );
  assert.ok(refusedCount > 50 && refusedCount < 1450, `both outcomes occur (${refusedCount} refused)`);
});

test('fuzz: mutated expressions (deleted, inserted, repeated, control characters)', () => {
  fc.assert(fc.property(mutated, (text) => void runOne(text)), { seed: SEED + 1, numRuns: 1500 });
});

test('fuzz: long, deep and wide inputs are answered (result or refusal) within the hang guard', () => {
  fc.assert(fc.property(stress, (text) => void runOne(text)), { seed: SEED + 2, numRuns: 120 });
});

test('fuzz: compiled f agrees with mathjs evaluate, ∇f with central differences, where finite', () => {
  let compared = 0;
  fc.assert(
    fc.property(expr, fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 4, maxLength: 4 }), (text, point) => {
      if (/\b(NaN|Infinity|true|i)\b/.test(text)) return; // refused anyway
      let parsed;
      try {
        parsed = parseExpression(text);
      } catch {
        return;
      }
      const obj = compileObjective(parsed);
      const x = parsed.variables.map((_, k) => point[k % 4] + 0.01 * k);
      const value = obj.value(x);
      if (!Number.isFinite(value) || Math.abs(value) > 1e12) return;
      // mathjs evaluates the same text (normalised: ** → ^, np. prefixes dropped), variables renamed
      // where mathjs would not accept them as plain symbols
      const names = parsed.variables.map((_, k) => `v${k}`);
      let mathText = parsed.normalized;
      parsed.variables.forEach((v, k) => {
        mathText = mathText.replace(new RegExp(`(?<![\\p{L}\\p{N}_$.])${v}(?![\\p{L}\\p{N}_$(])`, 'gu'), names[k]);
      });
      let expected: unknown;
      try {
        expected = mathjsEvaluate(mathText)(Object.fromEntries(names.map((v, k) => [v, x[k]])));
      } catch {
        return; // mathjs' own limits (e.g. a function it lacks under that name)
      }
      if (typeof expected !== 'number' || !Number.isFinite(expected)) return;
      assert.ok(Math.abs(value - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${text} at ${x}: ${value} vs mathjs ${expected}`);
      const g = new Float64Array(obj.n);
      obj.valueAndGradient(x, g);
      for (let i = 0; i < obj.n; i++) {
        const h = 1e-6 * Math.max(1, Math.abs(x[i]));
        const xp = [...x]; xp[i] += h;
        const xm = [...x]; xm[i] -= h;
        const fp = obj.value(xp);
        const fm = obj.value(xm);
        const fd = (fp - fm) / (2 * h);
        // skip badly conditioned points (a kink of the floating-point function, a near-pole)
        const xp2 = [...x]; xp2[i] += 2 * h;
        const xm2 = [...x]; xm2[i] -= 2 * h;
        const fd2 = (obj.value(xp2) - obj.value(xm2)) / (4 * h);
        if (![fp, fm, fd, fd2, g[i]].every(Number.isFinite) || Math.abs(fd - fd2) > 1e-4 * Math.max(1, Math.abs(fd))) continue;
        assert.ok(Math.abs(g[i] - fd) <= 1e-4 * Math.max(1, Math.abs(fd), Math.abs(value)), `${text}: ∂/∂${parsed.variables[i]} at ${x}: ${g[i]} vs central difference ${fd}`);
        compared++;
      }
    }),
    { seed: SEED + 3, numRuns: 600 },
  );
  assert.ok(compared > 100, `${compared} gradient entries compared`);
});
