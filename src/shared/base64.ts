/**
 * Base64 wire helpers of the panel protocol (src/shared/protocol.ts): per-pixel rows and other
 * typed arrays travel between the extension host and the webview as base64 text of their bytes,
 * multi-byte values little-endian whatever the platform's byte order. Imported by both sides: no
 * vscode, no DOM, no Node APIs (btoa/atob exist in Node ≥ 16 and browsers).
 */
import { ProtocolError } from './protocolFields';

/** base64 of the bytes of a typed array view (works in Node ≥ 16 and browsers: btoa/atob). */
export function bytesToBase64(view: ArrayBufferView): string {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let text = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    text += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + CHUNK)));
  }
  return btoa(text);
}

export function base64ToBytes(text: string): Uint8Array {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** The multi-byte element types of the wire: size in bytes and their DataView accessors (little-endian). */
const WIRE = {
  uint16: { size: 2, make: (n: number) => new Uint16Array(n), get: (d: DataView, o: number) => d.getUint16(o, true), set: (d: DataView, o: number, v: number) => d.setUint16(o, v, true) },
  uint32: { size: 4, make: (n: number) => new Uint32Array(n), get: (d: DataView, o: number) => d.getUint32(o, true), set: (d: DataView, o: number, v: number) => d.setUint32(o, v, true) },
  float32: { size: 4, make: (n: number) => new Float32Array(n), get: (d: DataView, o: number) => d.getFloat32(o, true), set: (d: DataView, o: number, v: number) => d.setFloat32(o, v, true) },
  float64: { size: 8, make: (n: number) => new Float64Array(n), get: (d: DataView, o: number) => d.getFloat64(o, true), set: (d: DataView, o: number, v: number) => d.setFloat64(o, v, true) },
} as const;
type WireKind = keyof typeof WIRE;
type WireArray<K extends WireKind> = ReturnType<(typeof WIRE)[K]['make']>;

/** Encodes values of one wire type little-endian, whatever the platform's byte order. */
function encodeLE(kind: WireKind, values: ArrayLike<number>): string {
  const { size, set } = WIRE[kind];
  const bytes = new Uint8Array(values.length * size);
  const dv = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) set(dv, size * i, values[i]);
  return bytesToBase64(bytes);
}

/** Decodes little-endian values of one wire type; a payload that is not whole elements is a ProtocolError. */
function decodeLE<K extends WireKind>(kind: K, text: string): WireArray<K> {
  const { size, make, get } = WIRE[kind];
  const bytes = base64ToBytes(text);
  if (bytes.length % size !== 0) throw new ProtocolError(`${kind} payload of ${bytes.length} bytes is not a multiple of ${size}`);
  const out = make(bytes.length / size) as WireArray<K>;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = get(dv, size * i);
  return out;
}

/** Little-endian uint16 (the wire format of the loss-increase counts). */
export const uint16ToBase64 = (values: ArrayLike<number>): string => encodeLE('uint16', values);
export const base64ToUint16 = (text: string): Uint16Array => decodeLE('uint16', text);
/** Little-endian uint32 (the wire format of steps and K). */
export const uint32ToBase64 = (values: ArrayLike<number>): string => encodeLE('uint32', values);
export const base64ToUint32 = (text: string): Uint32Array => decodeLE('uint32', text);
/** Little-endian float32, NaN kept (the wire format of the limit sharpness). */
export const float32ToBase64 = (values: ArrayLike<number>): string => encodeLE('float32', values);
export const base64ToFloat32 = (text: string): Float32Array => decodeLE('float32', text);
/** Little-endian float64, NaN and ±∞ kept (orbit diagrams and measures). */
export const float64ToBase64 = (values: ArrayLike<number>): string => encodeLE('float64', values);
export const base64ToFloat64 = (text: string): Float64Array => decodeLE('float64', text);
