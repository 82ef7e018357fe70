/**
 * Straight-line code as a JavaScript function V8 will optimise, however long it is. V8 leaves a
 * function whose bytecode is larger than about 60 kB to its interpreter and baseline compiler
 * (6–8× slower here); the derivatives of an objective with a thousand terms are far longer. So a
 * long statement list runs as a sequence of chunk functions: temporaries used by a later chunk
 * pass through a preallocated Float64Array (doubles stay doubles: the results are the same bit for
 * bit), everything else stays in locals. Short lists become one function, as before.
 *
 * The generated text contains only what codegen.ts emitted (numeric literals, temporaries,
 * operators, whitelisted Math calls), the caller's parameter and input expressions, and slot
 * indices.
 */
import type { Statement } from './codegen';

/** Statements per chunk function (well below V8's limit for optimising a function). */
export const CHUNK_STATEMENTS = 1500;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export interface StraightLineFunction {
  /** parameter names of the generated function, e.g. ['x', 'g'] */
  params: readonly string[];
  /** input identifiers used by the statements → the expression that loads each (e.g. p3 → x[3]) */
  inputs: ReadonlyMap<string, string>;
  statements: readonly Statement[];
  /** the values to hand to the epilogue: temporaries, inputs or literals */
  results: readonly string[];
  /** code after the statements, given an expression for each result (stores, return) */
  epilogue(results: readonly string[]): string;
}

/**
 * Compiles the function. (The source is built from codegen output only; see the module comment.)
 */
export function buildStraightLine<T>(spec: StraightLineFunction, chunkSize = CHUNK_STATEMENTS): T {
  for (const p of spec.params) if (!IDENT.test(p)) throw new Error(`internal: bad parameter ${p}`);
  const loads = (names: Iterable<string>): string =>
    [...names].map((name) => `const ${name} = ${spec.inputs.get(name)};`).join('\n');
  const usedInputs = (stmts: readonly Statement[], extra: readonly string[] = []): Set<string> => {
    const used = new Set<string>();
    for (const st of stmts) for (const o of st.operands) if (spec.inputs.has(o)) used.add(o);
    for (const r of extra) if (spec.inputs.has(r)) used.add(r);
    return used;
  };
  const line = (st: Statement): string => `const ${st.name} = ${st.rhs};`;

  if (spec.statements.length <= chunkSize) {
    const body = `${loads(usedInputs(spec.statements, spec.results))}\n${spec.statements.map(line).join('\n')}\n${spec.epilogue(spec.results)}`;
    return new Function(...spec.params, body) as T;
  }

  const chunks: Statement[][] = [];
  for (let k = 0; k < spec.statements.length; k += chunkSize) chunks.push(spec.statements.slice(k, k + chunkSize));
  const definedIn = new Map<string, number>();
  chunks.forEach((c, k) => c.forEach((st) => definedIn.set(st.name, k)));
  const slot = new Map<string, number>();
  const slotOf = (name: string): number => {
    let s = slot.get(name);
    if (s === undefined) {
      s = slot.size;
      slot.set(name, s);
    }
    return s;
  };
  const imports: Set<string>[] = chunks.map(() => new Set<string>());
  chunks.forEach((c, k) => {
    for (const st of c) {
      for (const o of st.operands) {
        const d = definedIn.get(o);
        if (d !== undefined && d < k) {
          slotOf(o);
          imports[k].add(o);
        }
      }
    }
  });
  for (const r of spec.results) if (definedIn.has(r)) slotOf(r);
  const params = spec.params.join(', ');
  const sources = chunks.map((c, k) => {
    const importLines = [...imports[k]].map((name) => `const ${name} = s[${slot.get(name)}];`).join('\n');
    const exportLines = c.filter((st) => slot.has(st.name)).map((st) => `s[${slot.get(st.name)}] = ${st.name};`).join('\n');
    return `function c${k}(${params}) {\n${importLines}\n${loads(usedInputs(c))}\n${c.map(line).join('\n')}\n${exportLines}\n}`;
  });
  const resultExprs = spec.results.map((r) => (slot.has(r) ? `s[${slot.get(r)}]` : spec.inputs.get(r) ?? r));
  const main = `return function (${params}) {\n${chunks.map((_, k) => `c${k}(${params});`).join('\n')}\n${spec.epilogue(resultExprs)}\n};`;
  const factory = new Function('s', `"use strict";\n${sources.join('\n')}\n${main}`) as (s: Float64Array) => T;
  return factory(new Float64Array(Math.max(1, slot.size)));
}
