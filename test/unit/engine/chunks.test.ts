/**
 * Long straight-line code split into chunk functions (chunks.ts) computes exactly what one long
 * function computes: the same operations on the same doubles, so the results are equal bit for bit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildStraightLine, CHUNK_STATEMENTS } from '../../../src/engine/chunks';
import { emitStraightLine } from '../../../src/engine/codegen';
import { compileObjective } from '../../../src/engine/compile';
import { parseExpression } from '../../../src/engine/expression';
import { mulberry32 } from '../../../src/engine/random';
import { termObjective } from '../../../bench/ir';

type Fn = (x: ArrayLike<number>, g: Float64Array) => number;

function build(text: string, chunkSize: number): { fn: Fn; statements: number; n: number } {
  const parsed = parseExpression(text);
  const obj = compileObjective(parsed);
  const n = obj.n;
  const inputs = Array.from({ length: n }, (_, i) => `p${i}`);
  const line = emitStraightLine([obj.ir.f, ...obj.ir.grad], inputs);
  const fn = buildStraightLine<Fn>(
    {
      params: ['x', 'g'],
      inputs: new Map(inputs.map((p, i) => [p, `x[${i}]`])),
      statements: line.statements,
      results: line.results,
      epilogue: (r) => `${obj.ir.grad.map((_, i) => `g[${i}] = ${r[i + 1]};`).join('\n')}\nreturn ${r[0]};`,
    },
    chunkSize,
  );
  return { fn, statements: line.statements.length, n };
}

test('chunked code equals one long function bit for bit (chunks of 1, 3 and 7 statements)', () => {
  const texts = ['(1 - x*y)^2 + (x^2 + y^2)/20', 'sin(exp(cos(x*y))) + log(2 + x^2) * sqrt(1 + y^4)', 'x^y + atanh(0.4*x*y) - 3/(1 + x^2)'];
  const random = mulberry32(11);
  for (const text of texts) {
    const whole = build(text, Infinity);
    for (const size of [1, 3, 7]) {
      const chunked = build(text, size);
      assert.ok(chunked.statements > size, `${text} has more than ${size} statements`);
      for (let k = 0; k < 20; k++) {
        const x = [random() * 1.6 + 0.1, random() * 1.6 + 0.1];
        const ga = new Float64Array(2);
        const gb = new Float64Array(2);
        const fa = whole.fn(x, ga);
        const fb = chunked.fn(x, gb);
        assert.ok(Object.is(fa, fb) && Object.is(ga[0], gb[0]) && Object.is(ga[1], gb[1]), `${text} (chunks of ${size}) at ${x}`);
      }
    }
  }
});

test('a 1,000-term objective is compiled in chunks and agrees with the unchunked code', () => {
  const { text } = termObjective();
  const whole = build(text, Infinity);
  const compiled = compileObjective(parseExpression(text));
  assert.ok(whole.statements > CHUNK_STATEMENTS, `${whole.statements} statements`);
  const x = Float64Array.from({ length: whole.n }, (_, i) => Math.sin(i));
  const ga = new Float64Array(whole.n);
  const gb = new Float64Array(whole.n);
  assert.ok(Object.is(whole.fn(x, ga), compiled.valueAndGradient(x, gb)));
  assert.deepEqual([...gb], [...ga]);
  // and the Hessian assembled from chunked ∇²f·v products is symmetric and matches H·v
  const h = new Float64Array(whole.n * whole.n);
  compiled.hessian(x, h);
  const v = Float64Array.from({ length: whole.n }, (_, i) => Math.cos(3 * i));
  const hv = new Float64Array(whole.n);
  compiled.hessianVectorProduct?.(x, v, hv);
  for (let i = 0; i < whole.n; i++) {
    let s = 0;
    for (let j = 0; j < whole.n; j++) {
      assert.equal(h[i * whole.n + j], h[j * whole.n + i]);
      s += h[i * whole.n + j] * v[j];
    }
    assert.ok(Math.abs(s - hv[i]) <= 1e-12 * Math.max(1, Math.abs(s)), `row ${i}`);
  }
});
