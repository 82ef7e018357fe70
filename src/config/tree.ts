/**
 * One position-keeping syntax tree for JSON (jsonc-parser) and YAML (`yaml`) config files, so the
 * validator is written once and every problem can point at the characters it is about.
 * Offsets are 0-based UTF-16 offsets into the document text (what vscode's positionAt expects).
 * Pure: no vscode, no I/O.
 */
import { createScanner, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, Parser, type Node as YamlNode } from 'yaml';
import type { SourceRange } from '../engine/types';

export type ConfigFormat = 'json' | 'yaml';

export interface PosEntry {
  key: string;
  keyRange: SourceRange;
  value: PosNode;
}

export type PosNode =
  | { kind: 'object'; range: SourceRange; entries: PosEntry[] }
  | { kind: 'array'; range: SourceRange; items: PosNode[] }
  /**
   * contentOffsets[i] = document offset of the source character that produced value[i]
   * (length value.length + 1: the last entry is the offset just after the content), or null
   * when the mapping could not be established (then point at the whole range).
   */
  | { kind: 'string'; range: SourceRange; value: string; contentOffsets: number[] | null }
  | { kind: 'number'; range: SourceRange; value: number }
  | { kind: 'boolean'; range: SourceRange; value: boolean }
  | { kind: 'null'; range: SourceRange }
  /** something the config vocabulary never needs (YAML alias, tagged value, complex key) */
  | { kind: 'unsupported'; range: SourceRange; what: string };

export interface SyntaxProblem {
  message: string;
  range: SourceRange;
}

export interface PosDocument {
  root: PosNode | null;
  syntaxErrors: SyntaxProblem[];
}

/** Format from a file name: *.yaml / *.yml → yaml, everything else json. */
export function formatOfFileName(fileName: string): ConfigFormat {
  return /\.ya?ml$/i.test(fileName) ? 'yaml' : 'json';
}

/** Levels of nested lists / objects read at all (a config needs 3; the parsers recurse). */
export const MAX_NESTING = 64;

/**
 * Parses a config into the position tree. Text nested deeper than MAX_NESTING is refused before
 * it reaches a recursive parser (deep nesting overflows the stack, and in YAML can abort the
 * whole process), with one syntax problem at the first bracket or item too deep.
 */
export function parsePositionTree(text: string, format: ConfigFormat): PosDocument {
  const tooDeep = format === 'yaml' ? yamlTooDeep(text) : jsonTooDeep(text);
  if (tooDeep !== null) {
    const at = Math.min(tooDeep, Math.max(0, text.length - 1));
    return {
      root: null,
      syntaxErrors: [{ message: `nested too deeply: more than ${MAX_NESTING} levels of lists or objects (a config needs 3)`, range: { start: at, end: Math.min(at + 1, text.length) } }],
    };
  }
  const doc = format === 'yaml' ? parseYamlTree(text) : parseJsonTree(text);
  if (doc.root) doc.syntaxErrors.push(...nestedDuplicateKeys(doc.root));
  return doc;
}

/**
 * Keys given twice inside a nested object ("domain": {"x": …, "x": …}); the top level's are
 * reported by the config validator. One pass with a Set per object: linear (the `yaml`
 * package's own uniqueKeys check compares every pair, which took 80 s on 60,000 keys).
 */
function nestedDuplicateKeys(root: PosNode): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const stack: { node: PosNode; nested: boolean }[] = [{ node: root, nested: false }];
  while (stack.length > 0) {
    const { node, nested } = stack.pop() as { node: PosNode; nested: boolean };
    if (node.kind === 'object') {
      const seen = new Set<string>();
      for (const e of node.entries) {
        if (nested && seen.has(e.key) && problems.length < 20) {
          problems.push({ message: `"${e.key.length > 24 ? e.key.slice(0, 24) + '…' : e.key}" is given twice in this object; keep one`, range: e.keyRange });
        }
        seen.add(e.key);
        stack.push({ node: e.value, nested: true });
      }
    } else if (node.kind === 'array') {
      for (const item of node.items) stack.push({ node: item, nested: true });
    }
  }
  return problems;
}

/** Offset of the first '[' or '{' nested deeper than MAX_NESTING (jsonc-parser's own scanner: strings, comments), or null. */
/** jsonc-parser's SyntaxKind values (a const enum, which isolated modules cannot import) */
const TOKEN = { openBrace: 1, closeBrace: 2, openBracket: 3, closeBracket: 4, eof: 17 } as const;

function jsonTooDeep(text: string): number | null {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let kind: number = scanner.scan(); kind !== TOKEN.eof; kind = scanner.scan()) {
    if (kind === TOKEN.openBrace || kind === TOKEN.openBracket) {
      if (++depth > MAX_NESTING) return scanner.getTokenOffset();
    } else if (kind === TOKEN.closeBrace || kind === TOKEN.closeBracket) {
      depth = Math.max(0, depth - 1);
    }
  }
  return null;
}

/** CST token types that open a level of nesting */
const YAML_COLLECTIONS: ReadonlySet<unknown> = new Set(['block-map', 'block-seq', 'flow-collection']);

/**
 * The same for YAML, on the `yaml` package's concrete syntax tree (its Parser is iterative, unlike
 * its composer): the depth of nested collection tokens, walked with an explicit stack.
 */
function yamlTooDeep(text: string): number | null {
  for (const token of new Parser().parse(text)) {
    const stack: { node: object; depth: number; offset: number }[] = [{ node: token, depth: 0, offset: 0 }];
    while (stack.length > 0) {
      const { node, depth: above, offset } = stack.pop() as { node: object; depth: number; offset: number };
      const own = (node as { offset?: unknown }).offset;
      const at = typeof own === 'number' ? own : offset;
      const depth = YAML_COLLECTIONS.has((node as { type?: unknown }).type) ? above + 1 : above;
      if (depth > MAX_NESTING) return at;
      for (const child of Object.values(node)) if (child !== null && typeof child === 'object') stack.push({ node: child as object, depth, offset: at });
    }
  }
  return null;
}

/* ------------------------------------------------------------------ JSON */

const JSON_ERROR_TEXT: Record<string, string> = {
  InvalidSymbol: 'invalid symbol',
  InvalidNumberFormat: 'invalid number format',
  PropertyNameExpected: 'property name expected',
  ValueExpected: 'value expected',
  ColonExpected: 'colon expected',
  CommaExpected: 'comma expected',
  CloseBraceExpected: 'closing brace } expected',
  CloseBracketExpected: 'closing bracket ] expected',
  EndOfFileExpected: 'end of file expected',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character',
};

export function parseJsonTree(text: string): PosDocument {
  const errors: ParseError[] = [];
  // a UTF-8 byte-order mark (kept by editors and readFileSync) is whitespace, not a syntax error;
  // replaced by a space so every offset stays the document's
  const source = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  const root = parseTree(source, errors, { allowTrailingComma: true, disallowComments: false });
  const syntaxErrors = errors.map((e) => {
    const code = printParseErrorCode(e.error);
    return {
      message: `JSON syntax error: ${JSON_ERROR_TEXT[code] ?? code}`,
      range: { start: e.offset, end: e.offset + Math.max(1, e.length) },
    };
  });
  return { root: root ? fromJson(root, source) : null, syntaxErrors };
}

function fromJson(node: JsonNode, text: string): PosNode {
  const range = { start: node.offset, end: node.offset + node.length };
  switch (node.type) {
    case 'object': {
      const entries: PosEntry[] = [];
      for (const prop of node.children ?? []) {
        const [keyNode, valueNode] = prop.children ?? [];
        if (!keyNode || typeof keyNode.value !== 'string') continue;
        const keyRange = { start: keyNode.offset, end: keyNode.offset + keyNode.length };
        const value: PosNode = valueNode
          ? fromJson(valueNode, text)
          : { kind: 'null', range: { start: keyRange.end, end: keyRange.end } };
        entries.push({ key: keyNode.value, keyRange, value });
      }
      return { kind: 'object', range, entries };
    }
    case 'array':
      return { kind: 'array', range, items: (node.children ?? []).map((c) => fromJson(c, text)) };
    case 'string': {
      const value = String(node.value);
      return { kind: 'string', range, value, contentOffsets: alignContent(text, range.start, range.end, value, true) };
    }
    case 'number':
      return { kind: 'number', range, value: Number(node.value) };
    case 'boolean':
      return { kind: 'boolean', range, value: Boolean(node.value) };
    default:
      return { kind: 'null', range };
  }
}

/* ------------------------------------------------------------------ YAML */

export function parseYamlTree(text: string): PosDocument {
  // uniqueKeys: false — duplicates are found in linear time by nestedDuplicateKeys and the validator
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false, strict: true });
  const syntaxErrors: SyntaxProblem[] = doc.errors.map((e) => ({
    message: `YAML syntax error: ${firstLine(e.message)}`,
    range: { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1) },
  }));
  const contents = doc.contents as YamlNode | null;
  return { root: contents ? fromYaml(contents, text) : null, syntaxErrors };
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

function yamlRange(node: YamlNode, text: string): SourceRange {
  const r = node.range;
  if (!r) return { start: 0, end: text.length };
  // range = [start, valueEnd, nodeEnd]; valueEnd excludes trailing comments/whitespace
  let end = r[1];
  while (end > r[0] && /\s/.test(text[end - 1] ?? '')) end--;
  return { start: r[0], end: Math.max(end, r[0]) };
}

function fromYaml(node: YamlNode, text: string): PosNode {
  const range = yamlRange(node, text);
  if (isAlias(node)) return { kind: 'unsupported', range, what: 'a YAML alias (*name)' };
  if (isMap(node)) {
    const entries: PosEntry[] = [];
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const keyNode = item.key as YamlNode | null;
      if (!keyNode || !isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') continue;
      const keyRange = yamlRange(keyNode, text);
      const valueNode = item.value as YamlNode | null;
      const value: PosNode = valueNode ? fromYaml(valueNode, text) : { kind: 'null', range: { start: keyRange.end, end: keyRange.end } };
      entries.push({ key: String(keyNode.value), keyRange, value });
    }
    return { kind: 'object', range, entries };
  }
  if (isSeq(node)) {
    return { kind: 'array', range, items: node.items.map((it) => fromYaml(it as YamlNode, text)) };
  }
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'number') return { kind: 'number', range, value: v };
    if (typeof v === 'bigint') return { kind: 'number', range, value: Number(v) };
    if (typeof v === 'boolean') return { kind: 'boolean', range, value: v };
    if (v === null || v === undefined) return { kind: 'null', range };
    if (typeof v === 'string') {
      let start = range.start;
      if (node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL') {
        const nl = text.indexOf('\n', start);
        start = nl < 0 ? range.end : nl + 1;
      }
      const escapes = node.type === 'QUOTE_DOUBLE';
      return { kind: 'string', range, value: v, contentOffsets: alignContent(text, start, range.end, v, escapes) };
    }
    return { kind: 'unsupported', range, what: 'a tagged value' };
  }
  return { kind: 'unsupported', range, what: 'this kind of YAML node' };
}

/* ------------------------------------------------------------------ content ↔ source offsets */

/** Length of the escape sequence starting with the backslash at `q` (JSON / YAML double-quoted). */
function escapeLength(text: string, q: number): number {
  const c = text[q + 1];
  if (c === 'u') return 6;
  if (c === 'x') return 4;
  if (c === 'U') return 10;
  return 2;
}

/**
 * Maps each character of a string value to the source character that produced it, by walking
 * the source and skipping only quoting / folding whitespace. Returns null if the source does not
 * line up with the value (never guesses).
 */
export function alignContent(text: string, start: number, end: number, content: string, escapes: boolean): number[] | null {
  const offsets: number[] = new Array<number>(content.length + 1);
  let p = start;
  let i = 0;
  while (i < content.length) {
    const c = content[i];
    let matched = false;
    while (p < end) {
      const r = text[p];
      if (escapes && r === '\\') {
        const next = text[p + 1];
        if (next === '\n' || next === '\r') {
          p += 2; // YAML line continuation: produces nothing
          continue;
        }
        const len = escapeLength(text, p);
        offsets[i] = p;
        // a \u escape of a surrogate pair or \U produces two UTF-16 units
        if (text[p + 1] === 'U' && i + 1 < content.length && content.charCodeAt(i) >= 0xd800 && content.charCodeAt(i) < 0xdc00) {
          offsets[++i] = p;
        }
        p += len;
        matched = true;
        break;
      }
      if (r === c) {
        offsets[i] = p;
        p += 1;
        matched = true;
        break;
      }
      if ((c === ' ' || c === '\n') && (r === '\n' || r === '\r')) {
        offsets[i] = p;
        p += 1;
        matched = true;
        break;
      }
      if (r === ' ' || r === '\t' || r === '\n' || r === '\r' || r === '"' || r === "'") {
        p += 1;
        continue;
      }
      return null;
    }
    if (!matched) {
      // trailing line breaks a block scalar keeps (|, >) lie past the trimmed range
      if (/^\s*$/.test(content.slice(i))) {
        for (; i < content.length; i++) offsets[i] = end;
        break;
      }
      return null;
    }
    i += 1;
  }
  offsets[content.length] = content.length > 0 ? Math.min((offsets[content.length - 1] ?? p) + 1, Math.max(end, p)) : p;
  return offsets;
}

/** Maps a range in a string value's content to a document range (whole value if unmapped). */
export function contentRangeToDocument(node: { range: SourceRange; contentOffsets: number[] | null; value: string }, r: SourceRange): SourceRange {
  const map = node.contentOffsets;
  if (!map) return node.range;
  const n = node.value.length;
  const s = Math.max(0, Math.min(r.start, n));
  const e = Math.max(s, Math.min(r.end, n));
  const start = map[s] ?? node.range.start;
  const end = e > s ? (map[e - 1] ?? start) + 1 : start;
  // an empty range (e.g. "unexpected end") still gets one character to underline
  return end > start ? { start, end } : { start, end: Math.min(start + 1, node.range.end) };
}

export function getEntry(node: PosNode | null, key: string): PosEntry | undefined {
  if (!node || node.kind !== 'object') return undefined;
  return node.entries.find((e) => e.key === key);
}
