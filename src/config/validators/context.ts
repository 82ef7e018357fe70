/**
 * What every config validator shares: the document, the issues found so far, the result being
 * built, what earlier validators established (variables, domain), and one way to report a
 * problem with its range (clamped into the document; the message made one safe line).
 */
import type { Box, ParsedExpression, SourceRange } from '../../engine/types';
import type { GdlabConfig, Severity } from '../configTypes';
import { clampRange } from '../ranges';
import { getEntry, type PosEntry, type PosNode } from '../tree';
import { escapeControl, oneLine } from '../userText';

/** Validates one family of top-level keys. New families: a file here plus a line in registry.ts. */
export interface KeyValidator<K extends string = string> {
  /** the top-level keys this validator reads */
  readonly keys: readonly K[];
  /** other spellings people write for these keys (lower case, no '_' or '-') → the key, for "did you mean …?" */
  readonly aliases?: Readonly<Record<string, K>>;
  validate(ctx: ValidationContext): void;
}

export { clampRange } from '../ranges';

export type PosObject = Extract<PosNode, { kind: 'object' }>;

export class ValidationContext {
  /** the variables declared by "variables" (they fix the order), when valid */
  declaredVariables: string[] | undefined;
  /** the parsed objective (null: missing or invalid) */
  parsed: ParsedExpression | null = null;
  /** the variables later keys refer to: the objective's, else the declared ones (unknown: undefined) */
  variables: readonly string[] | undefined;
  /** the resolved domain (null while the variables are unknown) */
  domain: Box | null = null;
  /** false once "domain" had a problem */
  domainOk = true;

  constructor(
    readonly text: string,
    readonly root: PosObject,
    readonly result: GdlabConfig,
  ) {}

  issue(severity: Severity, range: SourceRange, message: string, code: string): void {
    this.result.issues.push({ severity, message: oneLine(message), range: clampRange(range, this.text.length), code });
  }
  err(range: SourceRange, message: string, code: string): void {
    this.issue('error', range, message, code);
  }
  warn(range: SourceRange, message: string, code: string): void {
    this.issue('warning', range, message, code);
  }
  /** the first entry of a top-level key */
  get(key: string): PosEntry | undefined {
    return getEntry(this.root, key);
  }
  /** true when `name` is a known variable of the objective (unknown variables: true) */
  isVariable(name: string): boolean {
    return !this.variables || this.variables.includes(name);
  }
  /** "(variables: x, y)" for messages */
  variableList(): string {
    return `(variables: ${(this.variables ?? []).join(', ')})`;
  }
}

export const isFiniteNumber = (n: PosNode): n is Extract<PosNode, { kind: 'number' }> => n.kind === 'number' && Number.isFinite(n.value);

/** User text quoted in a message: escaped, at most `max` characters. */
export function quote(text: string, max = 24): string {
  return `"${escapeControl(text.length > max ? text.slice(0, max) : text)}${text.length > max ? '…' : ''}"`;
}

/** What a value is, in words, for "(found …)". */
export function describe(n: PosNode): string {
  switch (n.kind) {
    case 'object': return 'an object';
    case 'array': return 'a list';
    case 'string': return `the text ${quote(n.value)}`;
    case 'number': return Number.isFinite(n.value) ? `the number ${n.value}` : String(n.value);
    case 'boolean': return String(n.value);
    case 'null': return 'nothing';
    default: return n.what;
  }
}
