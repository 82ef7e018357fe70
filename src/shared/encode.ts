/**
 * Pure file encoders (no Node or DOM APIs, usable by the host, the CLI and the webview):
 * PNG (RGBA, 8 bit, zlib stream with an LZ77 + fixed-Huffman deflate written here), NumPy .npy
 * (format 1.0) and the class-map colour schemes.
 *
 * Class codes stored in maps and .npy files (PixelClass in src/engine/types.ts):
 *   0 = diverged, 1 = not converged (maxSteps reached), 2 = other stationary point (saddle,
 *   maximum, degenerate), 3 = stable convergence, 4 = unstable convergence.
 */

/** [r, g, b, a], 0..255 each */
export type Rgba = readonly [number, number, number, number];

export type ColorScheme = 'paper' | 'per-minimum' | 'colorblind';

/** Colours of a scheme, as plain data. */
export interface ClassPalette {
  /** indexed by class code 0..4 (used for every minimum unless the per-minimum lists are non-empty) */
  byClass: Rgba[];
  /** per-minimum colours of stable / unstable starts (cycled); empty → byClass */
  stableByMinimum: Rgba[];
  unstableByMinimum: Rgba[];
}

const WHITE: Rgba = [255, 255, 255, 255];

/**
 * paper: Figure 2 (cyan stable, blue unstable, white everything else).
 * colorblind: Okabe–Ito sky blue (stable) / vermillion (unstable), white diverged, light grey not
 * converged, yellow other. per-minimum: a light (stable) and dark (unstable) shade per minimum.
 */
export function classColors(scheme: ColorScheme): ClassPalette {
  switch (scheme) {
    case 'paper':
      return { byClass: [WHITE, WHITE, WHITE, [0, 255, 255, 255], [0, 0, 255, 255]], stableByMinimum: [], unstableByMinimum: [] };
    case 'colorblind':
      return {
        byClass: [WHITE, [221, 221, 221, 255], [240, 228, 66, 255], [86, 180, 233, 255], [213, 94, 0, 255]],
        stableByMinimum: [],
        unstableByMinimum: [],
      };
    case 'per-minimum':
      return {
        byClass: [WHITE, [221, 221, 221, 255], [160, 160, 160, 255], [0, 255, 255, 255], [0, 0, 255, 255]],
        stableByMinimum: [[0, 255, 255, 255], [144, 238, 144, 255], [255, 200, 120, 255], [255, 170, 220, 255], [200, 180, 255, 255], [255, 240, 120, 255]],
        unstableByMinimum: [[0, 0, 255, 255], [0, 140, 0, 255], [220, 110, 0, 255], [200, 0, 120, 255], [100, 40, 200, 255], [170, 150, 0, 255]],
      };
    default: {
      const bad: never = scheme;
      throw new Error(`unknown colour scheme '${String(bad)}'`);
    }
  }
}

/**
 * RGBA pixels (width·height·4 bytes) of a class map; `minimum` (−1 = none) picks the colour in
 * the per-minimum scheme. Unknown codes are drawn white.
 */
export function renderClassMap(classes: Uint8Array, minimum: Int8Array | null, width: number, height: number, scheme: ColorScheme = 'paper'): Uint8Array {
  const count = width * height;
  if (classes.length < count) throw new RangeError(`the class map has ${classes.length} entries; ${width}×${height} needs ${count}`);
  const palette = classColors(scheme);
  const out = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) {
    const c = classes[i];
    let color: Rgba = palette.byClass[c] ?? WHITE;
    const j = minimum ? minimum[i] : -1;
    if (j >= 0) {
      if (c === 3 && palette.stableByMinimum.length > 0) color = palette.stableByMinimum[j % palette.stableByMinimum.length];
      else if (c === 4 && palette.unstableByMinimum.length > 0) color = palette.unstableByMinimum[j % palette.unstableByMinimum.length];
    }
    out[i * 4] = color[0];
    out[i * 4 + 1] = color[1];
    out[i * 4 + 2] = color[2];
    out[i * 4 + 3] = color[3];
  }
  return out;
}

/* ------------------------------------------------------------------ checksums */

let crcTable: Uint32Array | null = null;

/** CRC-32 (ISO 3309, as used by PNG and gzip). */
export function crc32(data: Uint8Array, start = 0, end = data.length, crc = 0): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = ~crc >>> 0;
  for (let i = start; i < end; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** Adler-32 (the zlib stream checksum). */
export function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  const MOD = 65521;
  for (let i = 0; i < data.length; ) {
    const end = Math.min(data.length, i + 5552);
    for (; i < end; i++) {
      a += data[i];
      b += a;
    }
    a %= MOD;
    b %= MOD;
  }
  return ((b << 16) | a) >>> 0;
}

/* ------------------------------------------------------------------ deflate (RFC 1951) */

class BitWriter {
  private buf: Uint8Array;
  private pos = 0;
  private bits = 0;
  private count = 0;
  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(64, capacity));
  }
  /** writes `n` bits of `value`, least significant first */
  write(value: number, n: number): void {
    this.bits |= value << this.count;
    this.count += n;
    while (this.count >= 8) {
      this.byte(this.bits & 0xff);
      this.bits >>>= 8;
      this.count -= 8;
    }
  }
  /** writes a Huffman code of `n` bits, most significant first */
  writeCode(code: number, n: number): void {
    let rev = 0;
    for (let i = 0; i < n; i++) rev |= ((code >>> i) & 1) << (n - 1 - i);
    this.write(rev, n);
  }
  private byte(b: number): void {
    if (this.pos === this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.pos++] = b;
  }
  finish(): Uint8Array {
    if (this.count > 0) this.byte(this.bits & 0xff);
    this.bits = 0;
    this.count = 0;
    return this.buf.slice(0, this.pos);
  }
}

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

function writeLiteral(w: BitWriter, sym: number): void {
  // fixed Huffman code (RFC 1951 §3.2.6)
  if (sym < 144) w.writeCode(0x30 + sym, 8);
  else if (sym < 256) w.writeCode(0x190 + sym - 144, 9);
  else if (sym < 280) w.writeCode(sym - 256, 7);
  else w.writeCode(0xc0 + sym - 280, 8);
}

function writeMatch(w: BitWriter, length: number, distance: number): void {
  let li = LENGTH_BASE.length - 1;
  while (LENGTH_BASE[li] > length) li--;
  writeLiteral(w, 257 + li);
  if (LENGTH_EXTRA[li] > 0) w.write(length - LENGTH_BASE[li], LENGTH_EXTRA[li]);
  let di = DIST_BASE.length - 1;
  while (DIST_BASE[di] > distance) di--;
  w.writeCode(di, 5);
  if (DIST_EXTRA[di] > 0) w.write(distance - DIST_BASE[di], DIST_EXTRA[di]);
}

/** Raw deflate of `data`: one fixed-Huffman block, greedy LZ77 over a 32 KiB window. */
export function deflateRaw(data: Uint8Array): Uint8Array {
  const w = new BitWriter(data.length / 4 + 64);
  w.write(1, 1); // BFINAL
  w.write(1, 2); // BTYPE = 01 (fixed Huffman)
  const HASH_BITS = 15;
  const head = new Int32Array(1 << HASH_BITS).fill(-1);
  const prev = new Int32Array(data.length);
  const WINDOW = 32768;
  const MAX_CHAIN = 32;
  const hash = (i: number): number => ((data[i] << 10) ^ (data[i + 1] << 5) ^ data[i + 2]) & ((1 << HASH_BITS) - 1);
  const insert = (i: number): void => {
    if (i + 2 >= data.length) return;
    const h = hash(i);
    prev[i] = head[h];
    head[h] = i;
  };
  let i = 0;
  while (i < data.length) {
    let bestLen = 0;
    let bestDist = 0;
    if (i + 2 < data.length) {
      let cand = head[hash(i)];
      let chain = 0;
      const maxLen = Math.min(258, data.length - i);
      while (cand >= 0 && i - cand <= WINDOW && chain++ < MAX_CHAIN) {
        let len = 0;
        while (len < maxLen && data[cand + len] === data[i + len]) len++;
        if (len > bestLen) {
          bestLen = len;
          bestDist = i - cand;
          if (len === maxLen) break;
        }
        cand = prev[cand];
      }
    }
    if (bestLen >= 3) {
      writeMatch(w, bestLen, bestDist);
      for (let k = 0; k < bestLen; k++) insert(i + k);
      i += bestLen;
    } else {
      writeLiteral(w, data[i]);
      insert(i);
      i++;
    }
  }
  writeLiteral(w, 256); // end of block
  return w.finish();
}

/** Raw deflate with stored (uncompressed) blocks: the fallback for incompressible data. */
export function deflateStored(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / 65535));
  const out = new Uint8Array(data.length + blocks * 5);
  let p = 0;
  for (let b = 0; b < blocks; b++) {
    const start = b * 65535;
    const len = Math.min(65535, data.length - start);
    out[p++] = b === blocks - 1 ? 1 : 0; // BFINAL, BTYPE = 00
    out[p++] = len & 0xff;
    out[p++] = len >>> 8;
    out[p++] = ~len & 0xff;
    out[p++] = (~len >>> 8) & 0xff;
    out.set(data.subarray(start, start + len), p);
    p += len;
  }
  return out;
}

/** zlib stream (RFC 1950) of `data`. */
export function zlibCompress(data: Uint8Array): Uint8Array {
  let body = deflateRaw(data);
  if (body.length > data.length + 5 * Math.ceil(data.length / 65535) + 5) body = deflateStored(data);
  const out = new Uint8Array(body.length + 6);
  out[0] = 0x78; // CM = 8, CINFO = 7 (32 KiB window)
  out[1] = 0x01; // FCHECK: (0x78 << 8 | 0x01) % 31 === 0, no dictionary, fastest
  out.set(body, 2);
  const a = adler32(data);
  out[out.length - 4] = a >>> 24;
  out[out.length - 3] = (a >>> 16) & 0xff;
  out[out.length - 2] = (a >>> 8) & 0xff;
  out[out.length - 1] = a & 0xff;
  return out;
}

/* ------------------------------------------------------------------ PNG */

/** Largest PNG side accepted. */
export const MAX_PNG_SIDE = 16384;

/** PNG (8-bit RGBA, non-interlaced) of `rgba` (width·height·4 bytes, rows top to bottom). */
export function encodePng(rgba: Uint8Array, width: number, height: number): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > MAX_PNG_SIDE || height > MAX_PNG_SIDE) {
    throw new RangeError(`PNG size ${width}×${height} must be whole numbers from 1 to ${MAX_PNG_SIDE}`);
  }
  const stride = width * 4;
  if (rgba.length !== stride * height) throw new RangeError(`RGBA data has ${rgba.length} bytes; ${width}×${height} needs ${stride * height}`);
  // filter type 1 (Sub) on every row: runs of equal pixels become zeros, which LZ77 folds well
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const o = y * (stride + 1);
    raw[o] = 1;
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const left = x >= 4 ? rgba[row + x - 4] : 0;
      raw[o + 1 + x] = (rgba[row + x] - left) & 0xff;
    }
  }
  const idat = zlibCompress(raw);
  const chunks: Array<[string, Uint8Array]> = [];
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering
  ihdr[12] = 0; // no interlace
  chunks.push(['IHDR', ihdr], ['IDAT', idat], ['IEND', new Uint8Array(0)]);
  const size = 8 + chunks.reduce((s, [, d]) => s + 12 + d.length, 0);
  const out = new Uint8Array(size);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0);
  const view = new DataView(out.buffer);
  let p = 8;
  for (const [type, data] of chunks) {
    view.setUint32(p, data.length);
    for (let i = 0; i < 4; i++) out[p + 4 + i] = type.charCodeAt(i);
    out.set(data, p + 8);
    view.setUint32(p + 8 + data.length, crc32(out, p + 4, p + 8 + data.length));
    p += 12 + data.length;
  }
  return out;
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
