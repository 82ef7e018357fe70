import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLASS_NAMES, classColors, COLOR_SCHEME_NAMES, pixelColor } from '../../../src/shared/classColors';
import { CLASS_COUNT, MinimumCode, PixelClass } from '../../../src/engine/types';

const key = (c: readonly number[]): string => c.slice(0, 3).join(',');

test('every class has a colour of its own in every scheme, and so do the sets of minima', () => {
  assert.equal(CLASS_NAMES.length, CLASS_COUNT);
  for (const scheme of COLOR_SCHEME_NAMES) {
    const p = classColors(scheme);
    assert.equal(p.byClass.length, CLASS_COUNT, scheme);
    const colours = [...p.byClass, p.stableSet, p.unstableSet].map(key);
    assert.equal(new Set(colours).size, colours.length, `${scheme}: ${colours.join(' | ')}`);
    // per-minimum colours never collide with a non-converged class
    for (const c of [...p.stableByMinimum, ...p.unstableByMinimum]) {
      for (const code of [0, 1, 2, 5, 6, 7]) assert.notEqual(key(c), key(p.byClass[code]), `${scheme}: minimum colour ${key(c)} vs class ${code}`);
    }
  }
});

test('pixelColor: Figure 2 colours for listed minima, the set pair for minimum codes −2 and −3', () => {
  const p = classColors('paper');
  assert.deepEqual(pixelColor(p, PixelClass.Stable, 0), [0, 255, 255, 255]);
  assert.deepEqual(pixelColor(p, PixelClass.Unstable, 3), [0, 0, 255, 255]);
  assert.deepEqual(pixelColor(p, PixelClass.Diverged, -1), [255, 255, 255, 255]);
  assert.deepEqual(pixelColor(p, PixelClass.Stable, MinimumCode.Set), p.stableSet);
  assert.deepEqual(pixelColor(p, PixelClass.Unstable, MinimumCode.Unlisted), p.unstableSet);
  assert.deepEqual(pixelColor(p, PixelClass.Cycle, -1), p.byClass[PixelClass.Cycle]);
  assert.deepEqual(pixelColor(p, 200, -1), [255, 255, 255, 255], 'unknown codes are white');
  const pm = classColors('per-minimum');
  assert.notDeepEqual(pixelColor(pm, PixelClass.Stable, 0), pixelColor(pm, PixelClass.Stable, 1));
});
