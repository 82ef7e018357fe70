import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, inflateSync } from 'node:zlib';
import { classColors, encodeNpy, encodePng, renderClassMap } from '../../../src/shared/encode';
import { PixelClass } from '../../../src/engine/types';

/** PNG row filters (PNG spec §9): undoes filter `type` of one byte. */
function unfilter(type: number, v: number, left: number, up: number, upLeft: number): number {
  switch (type) {
    case 0: return v;
    case 1: return (v + left) & 0xff;
    case 2: return (v + up) & 0xff;
    case 3: return (v + ((left + up) >> 1)) & 0xff;
    case 4: {
      const p = left + up - upLeft;
      const pa = Math.abs(p - left);
      const pb = Math.abs(p - up);
      const pc = Math.abs(p - upLeft);
      return (v + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft)) & 0xff;
    }
    default: throw new Error(`bad filter type ${type}`);
  }
}

/** Decodes an 8-bit RGBA PNG independently (Node's zlib inflate and CRC-32, PNG's row filters). */
function decodePng(png: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const buf = Buffer.from(png);
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let p = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  for (;;) {
    const len = buf.readUInt32BE(p);
    const type = buf.toString('latin1', p + 4, p + 8);
    const data = buf.subarray(p + 8, p + 8 + len);
    assert.equal(buf.readUInt32BE(p + 8 + len), crc32(buf.subarray(p + 4, p + 8 + len)), `${type} CRC`);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      assert.deepEqual([...data.subarray(8)], [8, 6, 0, 0, 0], '8-bit RGBA, deflate, no interlace');
    } else if (type === 'IDAT') idat.push(data);
    p += 12 + len;
    if (type === 'IEND') break;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  assert.equal(raw.length, (stride + 1) * height);
  const rgba = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const left = x >= 4 ? rgba[y * stride + x - 4] : 0;
      const up = y > 0 ? rgba[(y - 1) * stride + x] : 0;
      const upLeft = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4] : 0;
      rgba[y * stride + x] = unfilter(filter, raw[y * (stride + 1) + 1 + x], left, up, upLeft);
    }
  }
  return { width, height, rgba };
}

test('PNG of random pixels round-trips through an independent decoder', () => {
  let s = 7;
  const w = 61;
  const h = 17;
  const rgba = new Uint8Array(w * h * 4).map(() => ((s = (s * 1103515245 + 12345) >>> 0) >>> 24));
  const img = decodePng(encodePng(rgba, w, h));
  assert.equal(img.width, w);
  assert.equal(img.height, h);
  assert.deepEqual(img.rgba, rgba);
});

test('PNG of a class map decodes to the paper colours (cyan stable, blue unstable, white diverged, the palette for the rest)', () => {
  const w = 37;
  const h = 23;
  const classes = new Uint8Array(w * h).map((_, i) => (i * 7 + (i >> 5)) % 8);
  const palette = classColors('paper');
  const png = encodePng(renderClassMap(classes, null, w, h, 'paper'), w, h);
  const img = decodePng(png);
  assert.equal(img.width, w);
  assert.equal(img.height, h);
  for (let i = 0; i < w * h; i++) {
    const px = [...img.rgba.subarray(i * 4, i * 4 + 4)];
    const expected = classes[i] === PixelClass.Stable ? [0, 255, 255, 255] : classes[i] === PixelClass.Unstable ? [0, 0, 255, 255]
      : classes[i] === PixelClass.Diverged ? [255, 255, 255, 255] : [...palette.byClass[classes[i]]];
    assert.deepEqual(px, expected, `pixel ${i}`);
  }
  assert.throws(() => encodePng(new Uint8Array(10), 2, 2), /needs 16/);
  assert.throws(() => encodePng(new Uint8Array(0), 0, 0), /whole numbers/);
});

test('colour schemes: per-minimum distinguishes minima, colorblind differs from paper', () => {
  const classes = Uint8Array.from([3, 3, 4, 4]);
  const minimum = Int8Array.from([0, 1, 0, 1]);
  const rgba = renderClassMap(classes, minimum, 4, 1, 'per-minimum');
  assert.notDeepEqual([...rgba.subarray(0, 4)], [...rgba.subarray(4, 8)]);
  assert.notDeepEqual([...rgba.subarray(8, 12)], [...rgba.subarray(12, 16)]);
  const paper = classColors('paper');
  const cb = classColors('colorblind');
  assert.deepEqual(paper.byClass[PixelClass.Stable], [0, 255, 255, 255]);
  assert.notDeepEqual(cb.byClass[PixelClass.Stable], paper.byClass[PixelClass.Stable]);
});

test('.npy: NumPy 1.0 header (magic, 64-byte alignment, dtype, shape) and raw data', () => {
  const data = Uint8Array.from([0, 1, 2, 3, 4, 3]);
  const npy = encodeNpy(data, [2, 3]);
  assert.deepEqual([...npy.subarray(0, 8)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const headerLen = npy[8] | (npy[9] << 8);
  assert.equal((10 + headerLen) % 64, 0);
  const header = Buffer.from(npy.subarray(10, 10 + headerLen)).toString('latin1');
  assert.match(header, /^\{'descr': '\|u1', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
  assert.deepEqual([...npy.subarray(10 + headerLen)], [...data]);
  const f = encodeNpy(Float64Array.from([1.5, -2]), [2]);
  const fh = f[8] | (f[9] << 8);
  assert.match(Buffer.from(f.subarray(10, 10 + fh)).toString('latin1'), /'descr': '<f8'.*'shape': \(2,\)/);
  assert.equal(Buffer.from(f).readDoubleLE(10 + fh + 8), -2);
  assert.throws(() => encodeNpy(data, [4, 2]), /needs 8 values/);
});
