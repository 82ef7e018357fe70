/**
 * The field checkers of the panel protocol's validators (src/shared/protocolValidation.ts and the
 * network, measures and optimizer messages it delegates to) and the ProtocolError they throw: each
 * names the field (`message(basin).eta`) and what was wrong. Plain TypeScript, imported by both sides.
 */

/** A message that does not match the protocol: names the field and what was wrong. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export type Obj = Record<string, unknown>;

export function obj(value: unknown, where: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError(`${where}: expected an object`);
  }
  return value as Obj;
}

export interface NumOptions {
  int?: boolean;
  min?: number;
  positive?: boolean;
}

export function num(o: Obj, key: string, where: string, opts: NumOptions = {}): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ProtocolError(`${where}.${key}: expected a finite number`);
  if (opts.int && !Number.isInteger(v)) throw new ProtocolError(`${where}.${key}: expected an integer`);
  if (opts.min !== undefined && v < opts.min) throw new ProtocolError(`${where}.${key}: must be ≥ ${opts.min}`);
  if (opts.positive && !(v > 0)) throw new ProtocolError(`${where}.${key}: must be > 0`);
  return v;
}

export function numOrNull(o: Obj, key: string, where: string, opts: NumOptions = {}): number | null {
  return o[key] === null ? null : num(o, key, where, opts);
}

/** A finite number ≥ min, with one message for both ways to fail (`expected a finite number ≥ 0`). */
export function finite(o: Obj, key: string, where: string, min = -Infinity): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new ProtocolError(`${where}.${key}: expected a finite number${min > -Infinity ? ` ≥ ${min}` : ''}`);
  return v;
}

export function finiteOrNull(o: Obj, key: string, where: string): number | null {
  return o[key] === null ? null : finite(o, key, where);
}

export function str(o: Obj, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new ProtocolError(`${where}.${key}: expected a string`);
  return v;
}

export function numArray(o: Obj, key: string, where: string, allowNonFinite = false): number[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new ProtocolError(`${where}.${key}: expected an array of numbers`);
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    // JSON turns NaN/±Infinity into null; a diverging trajectory legitimately has them
    if (allowNonFinite ? !(typeof x === 'number' || x === null) : !(typeof x === 'number' && Number.isFinite(x))) {
      throw new ProtocolError(`${where}.${key}[${i}]: expected a ${allowNonFinite ? 'number' : 'finite number'}`);
    }
  }
  return v as number[];
}

export function range(o: Obj, key: string, where: string): [number, number] {
  const r = numArray(o, key, where);
  if (r.length !== 2 || !(r[0] < r[1])) throw new ProtocolError(`${where}.${key}: expected [lo, hi] with lo < hi`);
  return [r[0], r[1]];
}

export function rangeOrNull(o: Obj, key: string, where: string): [number, number] | null {
  return o[key] === null || o[key] === undefined ? null : range(o, key, where);
}

export function requestId(o: Obj, where: string): number {
  return num(o, 'requestId', where, { int: true, min: 0 });
}

export function requestIdOrNull(o: Obj, where: string): number | null {
  return o.requestId === null ? null : requestId(o, where);
}

export function oneOf<T extends string>(o: Obj, key: string, values: readonly T[], where: string): T {
  const v = o[key];
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    throw new ProtocolError(`${where}.${key}: expected one of ${values.join(', ')}`);
  }
  return v as T;
}

export function base64(o: Obj, key: string, where: string): string {
  const v = str(o, key, where);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw new ProtocolError(`${where}.${key}: expected base64 text`);
  return v;
}
