/**
 * The engine's own differentiation (derivative.ts, compile.ts) against independent oracles:
 * mathjs' `derivative` (a full mathjs instance: its rules, its evaluation), central finite
 * differences, and — for the mode switch — each mode against the other. 100+ expressions: every
 * whitelisted function on several inner arguments, nested chains, pow with a variable exponent,
 * log with a base, and the paper's functions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileObjective } from '../../../src/engine/compile';
import { forward, partial, reverse } from '../../../src/engine/derivative';
import { ExprBuilder, evaluateExpr } from '../../../src/engine/expr';
import { parseExpression } from '../../../src/engine/expression';
import { mulberry32 } from '../../../src/engine/random';
import { FUNCTIONS, type CompiledObjective, type FunctionName } from '../../../src/engine/types';
import { math, mathjsDerivative, mathjsEvaluate, mathjsPartialIR } from '../support/mathjsOracle';

/** Inner arguments that keep each function inside its real domain for x, y ∈ [−1, 1]. */
const INNER = {
  any: ['x', 'x*y - 0.3*y', '0.5*sin(2*x) + y^2'],
  unit: ['0.6*tanh(x + y)', '0.4*sin(x*y) + 0.3*cos(y)', '(x - y)/(3 + x^2 + y^2)'],
  positive: ['1.5 + sin(x)*cos(y)', '0.3 + x^2 + y^4', 'exp(x - y)'],
  aboveOne: ['2 + x^2 + y^2', '1.2 + exp(x*y)', 'cosh(x) + 0.5 + y^2'],
  awayFromZero: ['0.7 + 0.3*cos(x - y)', '0.5 + 0.4*sin(x)^2 + 0.1*y^2', '1.1 - 0.2*x*y'],
};
const DOMAIN: Record<FunctionName, keyof typeof INNER> = {
  sin: 'any', cos: 'any', tan: 'awayFromZero', sec: 'awayFromZero', csc: 'awayFromZero', cot: 'awayFromZero',
  sinh: 'any', cosh: 'any', tanh: 'any', sech: 'any', csch: 'awayFromZero', coth: 'awayFromZero',
  asin: 'unit', acos: 'unit', atan: 'any', asinh: 'any', acosh: 'aboveOne', atanh: 'unit',
  exp: 'any', expm1: 'any', log: 'positive', log1p: 'positive', log2: 'positive', log10: 'positive', sqrt: 'positive',
};
/** mathjs cannot differentiate these three; the oracle gets an equivalent form */
const ORACLE_FORM: Partial<Record<FunctionName, (a: string) => string>> = {
  expm1: (a) => `(exp(${a}) - 1)`,
  log1p: (a) => `log(1 + (${a}))`,
  log2: (a) => `log(${a}, 2)`,
};

interface Case {
  text: string;
  /** the same function in a form mathjs can differentiate */
  oracle: string;
}

const CASES: Case[] = [];
for (const fn of FUNCTIONS) {
  for (const inner of INNER[DOMAIN[fn]]) {
    const oracle = ORACLE_FORM[fn]?.(inner) ?? `${fn}(${inner})`;
    // times a second factor so both variables always matter
    CASES.push({ text: `${fn}(${inner}) * (1 + 0.5*y^2) + 0.25*x`, oracle: `${oracle} * (1 + 0.5*y^2) + 0.25*x` });
  }
}
for (const text of [
  'x^2 + y^2 + x^2*y + x^3 + y^3',
  'x^2 + y^2 + x^2*y + x^4 + y^4',
  'x^4*y^2 + x^2*y^4 - 3*x^2*y^2 + 1',
  '(1 - x*y)^2 + (x^2 + y^2)/20',
  '(1 - x)^2 + 100*(y - x^2)^2',
  '(x^2 + y - 11)^2 + (x + y^2 - 7)^2',
  'sin(exp(cos(x*y)))',
  'exp(sin(x) * log(2 + cos(y)))',
  'sqrt(1 + tanh(x*y)^2) / (2 + sin(x + y))',
  'atan(sinh(x) / cosh(y)) + asinh(x*y*exp(-x^2))',
  '(x^2 + 1.5)^(y + 2)',
  '(2 + sin(x))^(cos(y))',
  '(x + 1.5)^y + (y + 2)^(x - 0.5)',
  '2^(x*y) + 3^(-x)',
  'pow(1.5 + x^2, 0.7) - pow(y^2 + 1, -1.3)',
  'log(2 + x^2, 3) + log(5, 2 + y^2)',
  'log(3 + x, 2 + y^2)',
  '1/(1 + x^2 + y^2) - x/(2 + y^2)',
  '(x - y)/(2 + x^2) * (y + 3)/(4 + x*y)',
  '-(x^3) + -(-y)^2 * x',
  '(x + 1.5)^2.5 + (y + 1.2)^1.5 + 0.1*x*y',
  '1/x^3 + 2/y^4',
  'e^(x/2) * pi^y',
  'exp(-(x^2 + y^2)/2) * cos(3*x) * sin(2*y)',
  'cosh(x*y) - sinh(x - y) + tanh(x^2 * y)',
  'sech(x*y) + csch(1 + x^2) + coth(1.5 + y^2)',
  'sec(x/2) * csc(1 + y/3) + cot(1 + x*y/4)',
  'acos(0.5*x*y) + asin(0.3*(x + y)) + atanh(0.4*x - 0.2*y)',
  'acosh(3 + x*y) + log10(2 + x^2) * log2(3 + y^2)',
  'expm1(x*y/3) + log1p(x^2 + y^2)',
].map((t) => ({ text: t, oracle: t.replace(/log2\(([^()]*)\)/g, 'log($1, 2)').replace(/expm1\(([^()]*)\)/g, '(exp($1) - 1)').replace(/log1p\(([^()]*)\)/g, 'log(1 + $1)') }))) CASES.push(text);

const near = (a: number, b: number, rel: number, abs = 0): boolean => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + abs;

test('the corpus has 100+ expressions and every whitelisted function, alone and in chains', () => {
  assert.ok(CASES.length >= 100, `${CASES.length} cases`);
  for (const fn of FUNCTIONS) assert.ok(CASES.filter((c) => new RegExp(`\\b${fn}\\(`).test(c.text)).length >= 3, fn);
});

function checkAgainstOracles(c: Case, obj: CompiledObjective, label: string): void {
  const parsed = parseExpression(c.text);
  const n = obj.n;
  const names = parsed.variables;
  const fOracle = mathjsEvaluate(c.oracle);
  const gOracle = names.map((v) => mathjsDerivative(c.oracle, v));
  const random = mulberry32(c.text.length * 7919 + 3);
  const g = new Float64Array(n);
  const h = new Float64Array(n * n);
  const gp = new Float64Array(n);
  const gm = new Float64Array(n);
  const hv = new Float64Array(n);
  for (let trial = 0; trial < 5; trial++) {
    const x = Array.from({ length: n }, () => 2 * random() - 1);
    const scope = Object.fromEntries(names.map((v, i) => [v, x[i]]));
    const value = obj.valueAndGradient(x, g);
    assert.ok(near(value, fOracle(scope), 1e-12, 1e-15), `${label} f at ${x}: ${value} vs mathjs ${fOracle(scope)}`);
    obj.hessian(x, h);
    for (let i = 0; i < n; i++) {
      const expected = gOracle[i](scope);
      assert.ok(near(g[i], expected, 1e-10, 1e-13), `${label} ∂f/∂${names[i]} at ${x}: ${g[i]} vs mathjs.derivative ${expected}`);
      const step = 1e-5;
      const xp = [...x]; xp[i] += step;
      const xm = [...x]; xm[i] -= step;
      const fd = (obj.value(xp) - obj.value(xm)) / (2 * step);
      assert.ok(near(g[i], fd, 1e-6, 1e-8), `${label} ∂f/∂${names[i]}: ${g[i]} vs central difference ${fd}`);
      obj.valueAndGradient(xp, gp);
      obj.valueAndGradient(xm, gm);
      for (let j = 0; j < n; j++) {
        const fdh = (gp[j] - gm[j]) / (2 * step);
        assert.ok(near(h[i * n + j], fdh, 1e-5, 1e-7), `${label} H[${i}][${j}]: ${h[i * n + j]} vs central difference of ∇f ${fdh}`);
        assert.equal(h[i * n + j], h[j * n + i], 'symmetric');
      }
    }
    // ∇²f·v against the assembled Hessian
    const v = Array.from({ length: n }, () => 2 * random() - 1);
    obj.hessianVectorProduct?.(x, v, hv);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += h[i * n + j] * v[j];
      assert.ok(near(hv[i], s, 1e-9, 1e-12), `${label} (∇²f·v)[${i}]: ${hv[i]} vs H·v ${s}`);
    }
  }
}

for (const c of CASES) {
  test(`∇f, ∇²f and ∇²f·v agree with mathjs.derivative and finite differences (both modes): ${c.text}`, () => {
    const parsed = parseExpression(c.text);
    const fwd = compileObjective(parsed, { mode: 'forward' });
    const rev = compileObjective(parsed, { mode: 'reverse' });
    assert.deepEqual(fwd.mode, { gradient: 'forward', hessian: 'symbolic' });
    assert.deepEqual(rev.mode, { gradient: 'reverse', hessian: 'hvp' });
    checkAgainstOracles(c, fwd, 'forward');
    checkAgainstOracles(c, rev, 'reverse');
  });
}

test('second derivatives agree with mathjs.derivative applied twice', () => {
  for (const c of CASES.filter((_, k) => k % 4 === 0)) {
    const parsed = parseExpression(c.text);
    const obj = compileObjective(parsed);
    const names = parsed.variables;
    const h = new Float64Array(4);
    const x = [0.3, -0.4];
    obj.hessian(x, h);
    const scope = { x: x[0], y: x[1] };
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const d2 = math.derivative(math.derivative(math.parse(c.oracle), names[i], { simplify: false }), names[j], { simplify: false });
        const expected = d2.evaluate(scope) as number;
        assert.ok(near(h[i * 2 + j], expected, 1e-9, 1e-12), `${c.text}: H[${i}][${j}] ${h[i * 2 + j]} vs mathjs ${expected}`);
      }
    }
  }
});

test('forward partials are exactly the IR mathjs.derivative gives (so small problems compile as before)', () => {
  // the three functions mathjs cannot differentiate were rewritten before; everything else must match node for node
  let compared = 0;
  for (const c of CASES.filter((k) => !/expm1|log1p|log2/.test(k.text))) {
    const parsed = parseExpression(c.text);
    const b = new ExprBuilder();
    const f = b.intern(parsed.expr);
    const n = parsed.variables.length;
    for (let i = 0; i < n; i++) {
      const ours = partial(b, f, i);
      const theirs = mathjsPartialIR(b, f, i);
      assert.equal(ours, theirs, `${c.text}: ∂/∂x${i} differs from mathjs' derivative`);
      for (let j = i; j < n; j++) {
        assert.equal(partial(b, ours, j), mathjsPartialIR(b, theirs, j), `${c.text}: ∂²/∂x${i}∂x${j} differs`);
        compared++;
      }
    }
  }
  assert.ok(compared > 200, `${compared} Hessian entries compared`);
});

test('reverse mode and forward mode give the same gradient values; reverse stays linear in size', () => {
  const terms = Array.from({ length: 60 }, (_, k) => `w${k}^2 * (1 + 0.1*sin(w${(k + 1) % 60}))`).join(' + ');
  const parsed = parseExpression(terms);
  const b = new ExprBuilder();
  const f = b.intern(parsed.expr);
  const before = b.size;
  const rev = reverse(b, f, 60);
  const reverseNodes = b.size - before;
  assert.ok(reverseNodes < 12 * before, `reverse mode added ${reverseNodes} nodes to an f of ${before}`);
  const x = Array.from({ length: 60 }, (_, k) => Math.sin(k));
  for (let i = 0; i < 60; i += 7) {
    const fwd = partial(b, f, i);
    assert.ok(near(evaluateExpr(rev[i], x), evaluateExpr(fwd, x), 1e-13, 1e-15), `∂/∂w${i}`);
  }
  // a directional derivative is the gradient dotted with the direction
  const v = x.map((_, k) => Math.cos(3 * k));
  const seeds = v.map((vk) => b.num(vk));
  const [dir] = forward(b, { roots: [f], seed: (i) => seeds[i] });
  const dot = rev.reduce((s, g, i) => s + evaluateExpr(g, x) * v[i], 0);
  assert.ok(dir && near(evaluateExpr(dir, x), dot, 1e-12));
});

test('the mode is chosen by size: forward for the paper, reverse + HVP for many variables', () => {
  assert.deepEqual(compileObjective(parseExpression('(1 - x*y)^2 + (x^2 + y^2)/20')).mode, { gradient: 'forward', hessian: 'symbolic' });
  const many = compileObjective(parseExpression(Array.from({ length: 30 }, (_, k) => `(w${k} - ${k})^2`).join(' + ')));
  assert.deepEqual(many.mode, { gradient: 'reverse', hessian: 'hvp' });
  // the Hessian assembled from HVPs is exactly 2·I here; ir.hess is built on first read
  const h = new Float64Array(900);
  many.hessian(new Float64Array(30).fill(0.5), h);
  for (let i = 0; i < 30; i++) for (let j = 0; j < 30; j++) assert.equal(h[i * 30 + j], i === j ? 2 : 0);
  assert.equal(evaluateExpr(many.ir.hess[3][3], new Float64Array(30)), 2);
  assert.equal(evaluateExpr(many.ir.hess[3][4], new Float64Array(30)), 0);
});

test('the paper functions and the examples get the very kernel code they had with mathjs derivatives', async () => {
  const { emitStraightLine } = await import('../../../src/engine/codegen');
  const { PAPER_FUNCTIONS } = await import('../../../src/engine/paper');
  const texts = [...PAPER_FUNCTIONS.map((f) => f.expression), '(1 - x*y)^2 + (x^2 + y^2)/20 + (z - x)^2'];
  for (const text of texts) {
    const parsed = parseExpression(text);
    const n = parsed.variables.length;
    const compiled = compileObjective(parsed);
    // the old path: IR printed, differentiated by mathjs, converted back (one builder)
    const b = new ExprBuilder();
    const f = b.intern(parsed.expr);
    const grad = Array.from({ length: n }, (_, i) => mathjsPartialIR(b, f, i));
    const inputs = Array.from({ length: n }, (_, i) => `p${i}`);
    const ours = emitStraightLine([compiled.ir.f, ...compiled.ir.grad], inputs);
    const theirs = emitStraightLine([f, ...grad], inputs);
    assert.equal(ours.code, theirs.code, text);
    assert.deepEqual(ours.results, theirs.results, text);
    const upper = (h: (i: number, j: number) => ReturnType<typeof partial>) => Array.from({ length: n }, (_, i) => Array.from({ length: n - i }, (_, d) => h(i, i + d))).flat();
    const hOurs = emitStraightLine(upper((i, j) => compiled.ir.hess[i][j]), inputs);
    const hTheirs = emitStraightLine(upper((i, j) => mathjsPartialIR(b, grad[i], j)), inputs);
    assert.equal(hOurs.code, hTheirs.code, `${text}: Hessian code`);
  }
});
