/**
 * Positions in the user's text: normalisation of code spellings (`**`, `np.`…) with a map back to
 * the original characters, the nesting scan that runs before mathjs' recursive parser, and the
 * character ranges of parsed nodes (from the leaves the parser recorded in source order).
 * Everything here is linear in the text.
 */
import type { MathNode } from 'mathjs';
import { EXPRESSION_LIMITS } from './limits';
import type { ParsedLeaf } from './mathjs';
import { ExpressionError, type SourceRange } from './types';

const CODE_PREFIXES = ['numpy.', 'np.', 'math.', 'torch.', 'jnp.'];
const IDENT_CHAR = /[\p{L}\p{N}_$]/u;

export interface Normalized {
  text: string;
  /** map[i] = index in the original text of normalized character i; map[text.length] = source length */
  map: number[];
}

export const isIdentChar = (c: string | undefined): boolean => c !== undefined && IDENT_CHAR.test(c);

/** `**` → `^`, code prefixes dropped; keeps a map back to the original positions. Linear. */
export function normalize(source: string): Normalized {
  const parts: string[] = [];
  const map: number[] = [];
  let runStart = 0;
  const flush = (end: number): void => {
    if (end > runStart) parts.push(source.slice(runStart, end));
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '*' && source[i + 1] === '*') {
      flush(i);
      parts.push('^');
      map.push(i);
      i += 2;
      runStart = i;
      continue;
    }
    // a code prefix can only start with n, m, t or j, after a non-identifier character
    if ((c === 'n' || c === 'm' || c === 't' || c === 'j') && !isIdentChar(source[i - 1]) && source[i - 1] !== '.') {
      const prefix = CODE_PREFIXES.find((p) => source.startsWith(p, i) && /[\p{L}_]/u.test(source[i + p.length] ?? ''));
      if (prefix) {
        flush(i);
        i += prefix.length;
        runStart = i;
        continue;
      }
    }
    map.push(i);
    i++;
  }
  flush(source.length);
  map.push(source.length);
  return { text: parts.join(''), map };
}

export function toOriginal(n: Normalized, start: number, end: number): SourceRange {
  const clamp = (k: number) => Math.max(0, Math.min(k, n.map.length - 1));
  const s = n.map[clamp(start)];
  const e = end <= start ? s + 1 : n.map[clamp(end - 1)] + 1;
  return { start: s, end: Math.max(e, s + 1) };
}

/** Finds the first occurrence of a token in the normalized text (as a whole word if it is a name). */
export function locate(n: Normalized, token: string, from = 0, fallback = 0): SourceRange {
  let at = -1;
  if (/^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(token)) {
    for (let k = n.text.indexOf(token, from); k >= 0; k = n.text.indexOf(token, k + 1)) {
      if (!isIdentChar(n.text[k - 1]) && n.text[k - 1] !== '.' && !isIdentChar(n.text[k + token.length])) {
        at = k;
        break;
      }
    }
  } else {
    at = n.text.indexOf(token, from);
  }
  if (at < 0) return toOriginal(n, fallback, fallback + 1);
  return toOriginal(n, at, at + token.length);
}

/**
 * The deepest nesting of brackets, chained ^ and runs of unary signs, found by one linear scan
 * before mathjs' recursive parser sees the text (which would overflow the stack at a few hundred
 * levels). Refuses beyond EXPRESSION_LIMITS.nesting with the position where it is exceeded.
 */
export function checkNesting(norm: Normalized): void {
  const text = norm.text;
  const chains: number[] = [0];
  let chainTotal = 0;
  let unary = 0;
  let operand = false;
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (c === '(' || c === '[' || c === '{') {
      chains.push(0);
      operand = false;
    } else if (c === ')' || c === ']' || c === '}') {
      if (chains.length > 1) chainTotal -= chains.pop() as number;
      unary = 0;
      operand = true;
    } else if (c === '^') {
      chains[chains.length - 1]++;
      chainTotal++;
      operand = false;
    } else if ((c === '-' || c === '+') && !operand) {
      unary++;
    } else if ('+-*/,;=<>?:&|%!~\'.'.includes(c)) {
      if (c !== '.' && c !== '!' && c !== '\'') {
        chainTotal -= chains[chains.length - 1];
        chains[chains.length - 1] = 0;
        operand = false;
      }
    } else {
      unary = 0;
      operand = true;
    }
    const depth = chains.length - 1 + chainTotal + unary;
    if (depth > EXPRESSION_LIMITS.nesting) {
      throw new ExpressionError(`the expression is nested too deeply (more than ${EXPRESSION_LIMITS.nesting} levels of brackets, calls, chained ^ or signs) at character ${norm.map[k] + 1}`, toOriginal(norm, k, k + 1));
    }
  }
}

/** Child nodes of a mathjs node with their path ('args[0]', 'fn', 'content', …), not recursive. */
export function childrenOf(node: MathNode): { child: MathNode; path: string }[] {
  const out: { child: MathNode; path: string }[] = [];
  node.forEach((child, path) => out.push({ child, path }));
  return out;
}

/** The leaves' positions in the normalized text (source order; unknown ones are skipped). */
export function leafPositions(norm: Normalized, leaves: readonly ParsedLeaf[]): Map<MathNode, [number, number]> {
  const at = new Map<MathNode, [number, number]>();
  let cursor = 0;
  for (const { node, text } of leaves) {
    if (!text) continue;
    const name = /^[\p{L}_$]/u.test(text);
    for (let k = norm.text.indexOf(text, cursor); k >= 0; k = norm.text.indexOf(text, k + 1)) {
      const before = norm.text[k - 1];
      const after = norm.text[k + text.length];
      if (k > cursor && (isIdentChar(before) || before === '.')) continue;
      if (name && isIdentChar(after)) continue;
      at.set(node, [k, k + text.length]);
      cursor = k + text.length;
      break;
    }
  }
  return at;
}

export class Locator {
  constructor(
    private readonly norm: Normalized,
    private readonly leaves: Map<MathNode, [number, number]>,
    readonly source: string,
  ) {}

  /** [start, end) of a node in the normalized text from its leaves, or null. */
  private span(node: MathNode): [number, number] | null {
    let lo = Infinity;
    let hi = -Infinity;
    const stack = [node];
    while (stack.length > 0) {
      const n = stack.pop() as MathNode;
      const p = this.leaves.get(n);
      if (p) {
        lo = Math.min(lo, p[0]);
        hi = Math.max(hi, p[1]);
      }
      for (const { child } of childrenOf(n)) stack.push(child);
    }
    if (!(lo < hi)) return null;
    // include closing brackets the span opened (sqrt(-1) → up to its ')')
    let open = 0;
    for (let k = lo; k < hi; k++) open += this.norm.text[k] === '(' ? 1 : this.norm.text[k] === ')' ? -1 : 0;
    while (open > 0 && hi < this.norm.text.length) {
      const c = this.norm.text[hi];
      if (c === ')') open--;
      else if (c !== ' ') break;
      hi++;
    }
    return [lo, hi];
  }

  /** The node's range in the user's text, or where `token` first occurs. */
  node(node: MathNode, token: string): SourceRange {
    const s = this.span(node);
    return s ? toOriginal(this.norm, s[0], s[1]) : locate(this.norm, token);
  }

  /** The node's text as the user wrote it (shortened), or null. */
  text(node: MathNode): string | null {
    const s = this.span(node);
    if (!s) return null;
    const r = toOriginal(this.norm, s[0], s[1]);
    const t = this.source.slice(r.start, r.end).replace(/\s+/g, ' ');
    return t.length > 40 ? `${t.slice(0, 39)}…` : t;
  }

  /** An operator's position: between its operands when they are located, else its first occurrence. */
  operator(node: MathNode, args: readonly MathNode[], op: string): SourceRange {
    const spans = args.map((a) => this.span(a));
    let from = 0;
    let to = this.norm.text.length;
    if (spans.length >= 2 && spans[0] && spans[1]) {
      from = spans[0][1];
      to = spans[1][0];
    } else if (spans.length === 1 && spans[0]) {
      const before = this.norm.text.lastIndexOf(op, spans[0][0]);
      if (before >= 0) return toOriginal(this.norm, before, before + op.length);
      from = spans[0][1];
    }
    const k = this.norm.text.indexOf(op, from);
    if (k >= 0 && k < Math.max(to, from + op.length)) return toOriginal(this.norm, k, k + op.length);
    return this.node(node, op);
  }

  token(token: string): SourceRange {
    return locate(this.norm, token);
  }
}

