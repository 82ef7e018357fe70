/**
 * Selected text → an objective. People select code, not formulas: this strips the code around a
 * loss expression (Python/NumPy forms: `lambda x, y: …`, `def f(x, y): return …`, `loss = …`,
 * `f(x, y) = …`, `return …`, `# comments`, backslash continuations, a trailing `;`) and keeps a
 * map back to the selection so parse errors point at the selected characters. `**`, `np.`,
 * `math.`, `torch.` are handled by the expression parser itself; `w[0]`, `w[1]` (a parameter
 * vector) become the variables w_0, w_1. Pure: no vscode, no I/O.
 */
import { parseExpression } from '../engine/expression';
import { ExpressionError, type ParsedExpression, type SourceRange } from '../engine/types';

export interface ExtractedExpression {
  /** the expression text handed to the parser */
  expression: string;
  /** offsets[i] = offset in the selection of expression[i]; offsets[expression.length] = end */
  offsets: number[];
  /** argument names of a `lambda`/`def`/`f(x, y) =` wrapper, which fix the variable order */
  variables?: string[];
  /** the assigned / defined name, if any (`loss = …`, `def loss(…)`) */
  name?: string;
}

/** Characters kept from the selection, with their original offsets. */
class Kept {
  text = '';
  offsets: number[] = [];
  push(ch: string, at: number): void {
    this.text += ch;
    this.offsets.push(at);
  }
}

const IDENT = String.raw`[\p{L}_][\p{L}\p{N}_]*`;

function parseArgs(list: string): string[] | undefined {
  const names = list.split(',').map((a) => a.trim().replace(/\s*[:=].*$/s, '')).filter((a) => a.length > 0);
  if (names.length === 0 || !names.every((n) => new RegExp(`^${IDENT}$`, 'u').test(n))) return undefined;
  return names;
}

/**
 * Extracts the expression from a selection. Throws ExpressionError (range in the selection) when
 * nothing expression-like is left.
 */
export function extractExpression(selection: string): ExtractedExpression {
  // 1. drop comments and backslash continuations, join lines (keeping offsets)
  const kept = new Kept();
  let i = 0;
  while (i < selection.length) {
    const c = selection[i] as string;
    if (c === '#') {
      while (i < selection.length && selection[i] !== '\n') i++;
      continue;
    }
    if (c === '\\' && /^\\[ \t]*\r?\n/.test(selection.slice(i))) {
      while (selection[i] !== '\n') i++;
      i++;
      continue;
    }
    kept.push(c === '\n' || c === '\r' || c === '\t' ? ' ' : c, i);
    i++;
  }
  let text = kept.text;
  let offsets = kept.offsets;
  const cut = (from: number, to = text.length) => {
    offsets = [...offsets.slice(from, to)];
    text = text.slice(from, to);
  };
  const trim = () => {
    const lead = text.length - text.trimStart().length;
    const tail = text.trimEnd().length;
    cut(lead, Math.max(lead, tail));
  };
  trim();
  let variables: string[] | undefined;
  let name: string | undefined;
  let indexed = false;

  // 2. wrappers
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^def\\s+(${IDENT})\\s*\\(([^)]*)\\)\\s*(?:->\\s*[^:]+)?:\\s*(?:return\\b)?`, 'u').exec(text))) {
    name = m[1];
    variables = parseArgs(m[2] ?? '');
    cut(m[0].length);
    const ret = /\breturn\b/.exec(text);
    if (ret) cut(ret.index + ret[0].length);
  } else if ((m = new RegExp(`^(?:(${IDENT})\\s*=\\s*)?lambda\\s+([^:]*):`, 'u').exec(text))) {
    name = m[1];
    variables = parseArgs(m[2] ?? '');
    cut(m[0].length);
  } else if ((m = new RegExp(`^(${IDENT})\\s*\\(([^)]*)\\)\\s*=(?!=)`, 'u').exec(text))) {
    name = m[1];
    variables = parseArgs(m[2] ?? '');
    cut(m[0].length);
  } else if ((m = new RegExp(`^(${IDENT})\\s*(?::\\s*${IDENT}\\s*)?=(?!=)`, 'u').exec(text))) {
    name = m[1];
    cut(m[0].length);
  } else if ((m = /^return\b/.exec(text))) {
    cut(m[0].length);
  }
  trim();
  if (text.endsWith(';')) cut(0, text.length - 1);
  trim();
  // NumPy-style indexing of a parameter vector: w[0] → variable w_0 ('[' becomes '_', ']' dropped)
  if (/[\p{L}_][\p{L}\p{N}_]*\[\s*\d+\s*\]/u.test(text)) {
    const re = /([\p{L}_][\p{L}\p{N}_]*)\[\s*(\d+)\s*\]/gu;
    const out = new Kept();
    let last = 0;
    for (const mm of text.matchAll(re)) {
      const at = mm.index ?? 0;
      for (let k = last; k < at; k++) out.push(text[k] as string, offsets[k] as number);
      const name = mm[1] as string;
      for (let k = 0; k < name.length; k++) out.push(name[k] as string, offsets[at + k] as number);
      const open = at + name.length;
      out.push('_', offsets[open] as number);
      const digitsAt = text.indexOf(mm[2] as string, open);
      for (let k = 0; k < (mm[2] as string).length; k++) out.push((mm[2] as string)[k] as string, offsets[digitsAt + k] as number);
      last = at + mm[0].length;
      indexed = true;
    }
    for (let k = last; k < text.length; k++) out.push(text[k] as string, offsets[k] as number);
    text = out.text;
    offsets = out.offsets;
  }
  if (text.length === 0) {
    throw new ExpressionError('the selection holds no expression: select a loss such as x**2 + y**2', { start: 0, end: Math.max(1, selection.length) });
  }
  const result: ExtractedExpression = { expression: text, offsets: [...offsets, (offsets[offsets.length - 1] ?? 0) + 1] };
  if (variables && !indexed) result.variables = variables;
  if (name) result.name = name;
  return result;
}

/** Maps a range in the extracted expression back to the selection. */
export function toSelectionRange(extracted: ExtractedExpression, r: SourceRange): SourceRange {
  const n = extracted.expression.length;
  const s = Math.max(0, Math.min(r.start, n - 1));
  const e = Math.max(s + 1, Math.min(r.end, n));
  const start = extracted.offsets[s] ?? 0;
  const end = (extracted.offsets[e - 1] ?? start) + 1;
  return { start, end: Math.max(end, start + 1) };
}

/**
 * Selection → parsed objective. Throws ExpressionError whose range is in the selection text.
 * Wrapper arguments (lambda x, y: …) fix the variable order when they cover every symbol.
 */
export function parseSelection(selection: string): { parsed: ParsedExpression; extracted: ExtractedExpression } {
  const extracted = extractExpression(selection);
  try {
    let parsed = parseExpression(extracted.expression);
    if (extracted.variables) {
      // wrapper arguments fix the order of the variables actually used (`lambda y, x: …`)
      const used = parsed.variables;
      const order = extracted.variables.filter((v) => used.includes(v));
      if (order.length === used.length && order.some((v, k) => v !== used[k])) {
        parsed = parseExpression(extracted.expression, { variables: order });
      }
    }
    return { parsed, extracted };
  } catch (e) {
    if (e instanceof ExpressionError) {
      const range = toSelectionRange(extracted, e.range);
      throw new ExpressionError(e.message.replace(/at character \d+/, `at character ${range.start + 1}`), range);
    }
    throw e;
  }
}
