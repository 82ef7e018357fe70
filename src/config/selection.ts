/**
 * Selected text → an objective. People select code, not formulas: this strips the code around a
 * loss expression (Python/NumPy forms: `lambda x, y: …`, `def f(x, y): return …`, `loss = …`,
 * `f(x, y) = …`, `return …`, `# comments`, backslash continuations, a trailing `;`) and keeps a
 * map back to the selection so parse errors point at the selected characters. `**`, `np.`,
 * `math.`, `torch.` are handled by the expression parser itself; `w[0]`, `w[1]` (a parameter
 * vector) become the variables w_0, w_1. Pure: no vscode, no I/O.
 */
import { MAX_EXPRESSION_LENGTH, parseExpression } from '../engine/expression';
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
const IDENT_ONLY = new RegExp(`^${IDENT}$`, 'u');
/** an identifier starting exactly at lastIndex (sticky: one attempt, linear in its length) */
const IDENT_AT = new RegExp(IDENT, 'uy');
/*
 * Wrappers, tried once at the start of the text (sticky), each linear: no two adjacent
 * quantifiers can match the same characters (that is what makes a backtracking regex quadratic).
 */
const DEF = new RegExp(`def\\s+(${IDENT})\\s*\\(([^)]*)\\)\\s*(?:->[^:]*)?:\\s*(?:return\\b)?`, 'uy');
const LAMBDA = new RegExp(`(?:(${IDENT})\\s*=\\s*)?lambda(?=\\s)([^:]*):`, 'uy');
const FUNCTION_EQ = new RegExp(`(${IDENT})\\s*\\(([^)]*)\\)\\s*=(?!=)`, 'uy');
const ASSIGNMENT = new RegExp(`(${IDENT})\\s*(?::\\s*${IDENT}\\s*)?=(?!=)`, 'uy');
const RETURN = /return\b/y;

/**
 * Longest selection read at all: a loss with a `def` line and comments around it. Checked before
 * any other work, so a whole minified line or a 1 MB selection is refused at once.
 */
export const MAX_SELECTION_LENGTH = 2 * MAX_EXPRESSION_LENGTH;

function execAtStart(re: RegExp, text: string): RegExpExecArray | null {
  re.lastIndex = 0;
  return re.exec(text);
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0';
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function parseArgs(list: string): string[] | undefined {
  const names = list.split(',').map((a) => {
    // drop a type annotation or default value: "x: float = 1.0" → "x"
    const colon = a.indexOf(':');
    const eq = a.indexOf('=');
    const cut = colon < 0 ? eq : eq < 0 ? colon : Math.min(colon, eq);
    return (cut < 0 ? a : a.slice(0, cut)).trim();
  }).filter((a) => a.length > 0);
  if (names.length === 0 || !names.every((n) => IDENT_ONLY.test(n))) return undefined;
  return names;
}

/**
 * `w[0]` at `at` (an identifier start): the end of the identifier, the digits' range and the
 * offset after ']'; null when the identifier is not indexed by a whole number. Linear.
 */
function indexedAt(text: string, at: number): { nameEnd: number; digits: [number, number]; end: number } | null {
  IDENT_AT.lastIndex = at;
  const m = IDENT_AT.exec(text);
  if (!m) return null;
  const nameEnd = at + m[0].length;
  let p = nameEnd;
  if (text[p] !== '[') return null;
  p++;
  while (isSpace(text[p])) p++;
  const d0 = p;
  while (isDigit(text[p])) p++;
  if (p === d0) return null;
  const d1 = p;
  while (isSpace(text[p])) p++;
  if (text[p] !== ']') return null;
  return { nameEnd, digits: [d0, d1], end: p + 1 };
}

/**
 * Extracts the expression from a selection. Throws ExpressionError (range in the selection) when
 * nothing expression-like is left, or when the selection is longer than MAX_SELECTION_LENGTH.
 * Linear in the selection's length.
 */
export function extractExpression(selection: string): ExtractedExpression {
  if (selection.length > MAX_SELECTION_LENGTH) {
    throw new ExpressionError(
      `the selection is too long (${selection.length} characters; at most ${MAX_SELECTION_LENGTH}): select just the loss expression`,
      { start: MAX_SELECTION_LENGTH, end: selection.length },
    );
  }
  // 1. drop comments and backslash continuations, join lines (keeping offsets)
  const kept = new Kept();
  let i = 0;
  while (i < selection.length) {
    const c = selection[i] as string;
    if (c === '#') {
      while (i < selection.length && selection[i] !== '\n') i++;
      continue;
    }
    if (c === '\\') {
      // a line continuation: backslash, optional blanks, line break
      let j = i + 1;
      while (selection[j] === ' ' || selection[j] === '\t') j++;
      if (selection[j] === '\r') j++;
      if (selection[j] === '\n') {
        i = j + 1;
        continue;
      }
    }
    kept.push(c === '\n' || c === '\r' || c === '\t' ? ' ' : c, i);
    i++;
  }
  let text = kept.text;
  let offsets = kept.offsets;
  const cut = (from: number, to = text.length) => {
    offsets = offsets.slice(from, to);
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
  if ((m = execAtStart(DEF, text))) {
    name = m[1];
    variables = parseArgs(m[2] ?? '');
    cut(m[0].length);
    const ret = /\breturn\b/.exec(text);
    if (ret) cut(ret.index + ret[0].length);
  } else if ((m = execAtStart(LAMBDA, text))) {
    name = m[1];
    variables = parseArgs(m[2] ?? '');
    cut(m[0].length);
  } else if ((m = execAtStart(FUNCTION_EQ, text))) {
    name = m[1];
    variables = parseArgs(m[2] ?? '');
    cut(m[0].length);
  } else if ((m = execAtStart(ASSIGNMENT, text))) {
    name = m[1];
    cut(m[0].length);
  } else if ((m = execAtStart(RETURN, text))) {
    cut(m[0].length);
  }
  trim();
  if (text.endsWith(';')) cut(0, text.length - 1);
  trim();
  // NumPy-style indexing of a parameter vector: w[0] → variable w_0 ('[' becomes '_', ']' dropped).
  // One left-to-right scan over maximal identifiers (a regex here was quadratic on long names).
  if (text.includes('[')) {
    const out = new Kept();
    let p = 0;
    while (p < text.length) {
      IDENT_AT.lastIndex = p;
      const ident = IDENT_AT.exec(text);
      if (!ident || ident.index !== p) {
        out.push(text[p] as string, offsets[p] as number);
        p++;
        continue;
      }
      const hit = indexedAt(text, p);
      const end = hit ? hit.nameEnd : p + ident[0].length;
      for (let k = p; k < end; k++) out.push(text[k] as string, offsets[k] as number);
      if (!hit) {
        p = end;
        continue;
      }
      out.push('_', offsets[hit.nameEnd] as number);
      for (let k = hit.digits[0]; k < hit.digits[1]; k++) out.push(text[k] as string, offsets[k] as number);
      p = hit.end;
      indexed = true;
    }
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
