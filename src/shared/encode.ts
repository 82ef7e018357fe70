/**
 * Pure file encoders (no Node or DOM APIs, usable by the host, the CLI and the webview):
 * PNG (RGBA, 8 bit, through the fast-png library), NumPy .npy (format 1.0, written here: a
 * header and the raw little-endian values) and class maps as RGBA (colours from
 * src/shared/classColors.ts).
 *
 * Class codes stored in maps and .npy files: PixelClass in src/engine/types.ts (0–7).
 */
import { encode } from 'fast-png';
import { classColors, pixelColor, type ColorScheme } from './classColors';

export { classColors, type ClassPalette, type ColorScheme, type Rgba } from './classColors';

/**
 * RGBA pixels (width·height·4 bytes) of a class map; `minimum` (index or MinimumCode, −1 = none)
 * picks the colour of converged starts. Unknown codes are drawn white.
 */
export function renderClassMap(classes: Uint8Array, minimum: Int8Array | null, width: number, height: number, scheme: ColorScheme = 'paper'): Uint8Array {
  const count = width * height;
  if (classes.length < count) throw new RangeError(`the class map has ${classes.length} entries; ${width}×${height} needs ${count}`);
  const palette = classColors(scheme);
  const out = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) {
    const color = pixelColor(palette, classes[i], minimum ? minimum[i] : -1);
    out[i * 4] = color[0];
    out[i * 4 + 1] = color[1];
    out[i * 4 + 2] = color[2];
    out[i * 4 + 3] = color[3];
  }
  return out;
}

/* ------------------------------------------------------------------ PNG */

/** Largest PNG side accepted. */
export const MAX_PNG_SIDE = 16384;

/**
 * PNG (8-bit RGBA, non-interlaced) of `rgba` (width·height·4 bytes, rows top to bottom), encoded
 * by fast-png (pure JavaScript over fflate's deflate: no Node API, no eval or WebAssembly, so it
 * also runs under the webview's CSP).
 */
export function encodePng(rgba: Uint8Array, width: number, height: number): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > MAX_PNG_SIDE || height > MAX_PNG_SIDE) {
    throw new RangeError(`PNG size ${width}×${height} must be whole numbers from 1 to ${MAX_PNG_SIDE}`);
  }
  if (rgba.length !== width * height * 4) throw new RangeError(`RGBA data has ${rgba.length} bytes; ${width}×${height} needs ${width * height * 4}`);
  return encode({ width, height, data: rgba, channels: 4, depth: 8 });
}

/* ------------------------------------------------------------------ NumPy .npy */

type NpyArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

function npyDescr(data: NpyArray): string {
  if (data instanceof Uint8Array) return '|u1';
  if (data instanceof Int8Array) return '|i1';
  if (data instanceof Uint16Array) return '<u2';
  if (data instanceof Int16Array) return '<i2';
  if (data instanceof Uint32Array) return '<u4';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof Float32Array) return '<f4';
  return '<f8';
}

/**
 * NumPy .npy (format 1.0, C order) of a typed array with the given shape, e.g. a class map
 * `encodeNpy(classes, [height, width])` → `np.load('map.npy')` is a (height, width) uint8 array.
 * Multi-byte types are written little-endian.
 */
export function encodeNpy(data: NpyArray, shape: number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.some((s) => !Number.isInteger(s) || s < 0)) throw new RangeError(`bad .npy shape (${shape.join(', ')})`);
  if (count !== data.length) throw new RangeError(`.npy shape (${shape.join(', ')}) needs ${count} values, got ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${npyDescr(data)}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const headerBytes = new Uint8Array(header.length);
  for (let i = 0; i < header.length; i++) headerBytes[i] = header.charCodeAt(i);
  const itemSize = data.BYTES_PER_ELEMENT;
  const out = new Uint8Array(10 + headerBytes.length + count * itemSize);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0); // \x93NUMPY v1.0
  out[8] = headerBytes.length & 0xff;
  out[9] = headerBytes.length >>> 8;
  out.set(headerBytes, 10);
  const body = new DataView(out.buffer, 10 + headerBytes.length);
  for (let i = 0; i < count; i++) {
    const v = data[i];
    const o = i * itemSize;
    if (data instanceof Uint8Array) body.setUint8(o, v);
    else if (data instanceof Int8Array) body.setInt8(o, v);
    else if (data instanceof Uint16Array) body.setUint16(o, v, true);
    else if (data instanceof Int16Array) body.setInt16(o, v, true);
    else if (data instanceof Uint32Array) body.setUint32(o, v, true);
    else if (data instanceof Int32Array) body.setInt32(o, v, true);
    else if (data instanceof Float32Array) body.setFloat32(o, v, true);
    else body.setFloat64(o, v, true);
  }
  return out;
}
