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

/** Decodes little-endian uint32 values (the wire format of steps/K). */
export function base64ToUint32(text: string): Uint32Array {
  const bytes = base64ToBytes(text);
  if (bytes.length % 4 !== 0) throw new ProtocolError(`uint32 payload of ${bytes.length} bytes is not a multiple of 4`);
  const out = new Uint32Array(bytes.length / 4);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = dv.getUint32(4 * i, true);
  return out;
}

/** Encodes uint32 values little-endian regardless of the platform's byte order. */
export function uint32ToBase64(values: ArrayLike<number>): string {
  const bytes = new Uint8Array(values.length * 4);
  const dv = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) dv.setUint32(4 * i, values[i] >>> 0, true);
  return bytesToBase64(bytes);
}

/** Decodes little-endian float32 values (the wire format of the limit sharpness). */
export function base64ToFloat32(text: string): Float32Array {
  const bytes = base64ToBytes(text);
  if (bytes.length % 4 !== 0) throw new ProtocolError(`float32 payload of ${bytes.length} bytes is not a multiple of 4`);
  const out = new Float32Array(bytes.length / 4);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = dv.getFloat32(4 * i, true);
  return out;
}

/** Encodes float32 values little-endian regardless of the platform's byte order (NaN stays NaN). */
export function float32ToBase64(values: ArrayLike<number>): string {
  const bytes = new Uint8Array(values.length * 4);
  const dv = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) dv.setFloat32(4 * i, values[i], true);
  return bytesToBase64(bytes);
}
