/**
 * Animated GIF of RGBA frames, encoded by gifenc (pure JavaScript, no Node or DOM API, no
 * install script). One palette of at most 256 colours is quantised from all frames together, so
 * a colour means the same class in every frame (no flicker between frames).
 */
import { applyPalette, GIFEncoder, quantize } from 'gifenc';

export interface RgbaFrame {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** Pixels sampled per frame for the shared palette (every pixel of small frames). */
const PALETTE_SAMPLE = 200_000;

/**
 * The frames as one looping GIF (`delayMs` per frame; GIF stores hundredths of a second). All
 * frames must have the same size.
 */
export function encodeGif(frames: readonly RgbaFrame[], delayMs = 700): Uint8Array {
  if (frames.length === 0) throw new RangeError('a GIF needs at least one frame');
  const { width, height } = frames[0];
  frames.forEach((f, i) => {
    if (f.width !== width || f.height !== height) throw new RangeError(`frame ${i + 1} is ${f.width}×${f.height}; frame 1 is ${width}×${height} (a GIF's frames share one size)`);
    if (f.rgba.length !== width * height * 4) throw new RangeError(`frame ${i + 1} has ${f.rgba.length} bytes; ${width}×${height} RGBA needs ${width * height * 4}`);
  });
  if (!(delayMs >= 10 && delayMs <= 655_350)) throw new RangeError(`the frame delay must be from 10 ms to 655 s, got ${delayMs}`);
  const pixels = width * height;
  const stride = Math.max(1, Math.floor(pixels / PALETTE_SAMPLE));
  const perFrame = Math.ceil(pixels / stride);
  const sample = new Uint8Array(frames.length * perFrame * 4);
  let o = 0;
  for (const f of frames) {
    for (let p = 0; p < pixels; p += stride) {
      sample.set(f.rgba.subarray(p * 4, p * 4 + 4), o);
      o += 4;
    }
  }
  const palette = quantize(sample.subarray(0, o), 256);
  const gif = GIFEncoder();
  frames.forEach((f, i) => {
    const index = applyPalette(f.rgba, palette);
    gif.writeFrame(index, width, height, i === 0 ? { palette, delay: delayMs, repeat: 0 } : { delay: delayMs });
  });
  gif.finish();
  return gif.bytes();
}
