import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLIDER_STEPS, etaFromSlider, etaToSlider, formatEta, parseEta } from '../../../webview/lib/eta';

test('slider ↔ η: η_max and the paper fractions land on exact positions', () => {
  const etaMax = 10 / 19; // f4 (DESIGN.md §1)
  for (const f of [0.2, 0.5, 0.8, 0.95, 0.99, 1]) {
    const pos = etaToSlider(f * etaMax, etaMax);
    assert.ok(Math.abs(etaFromSlider(pos, etaMax) - f * etaMax) <= (1.19 / SLIDER_STEPS) * etaMax / 2 + 1e-15);
  }
  assert.ok(Math.abs(etaFromSlider(SLIDER_STEPS, etaMax) - 1.2 * etaMax) < 1e-15);
  assert.equal(etaToSlider(100, etaMax), SLIDER_STEPS, 'clamped');
  assert.equal(etaToSlider(0.1, 0), 0);
});

test('parseEta: positive finite numbers only, with a message otherwise', () => {
  assert.equal(parseEta(' 0.25 '), 0.25);
  assert.equal(parseEta('1e-2'), 0.01);
  assert.match(String(parseEta('')), /enter a number/);
  assert.match(String(parseEta('abc')), /not a number/);
  assert.match(String(parseEta('0')), /positive/);
  assert.match(String(parseEta('-1')), /positive/);
  assert.equal(formatEta(10 / 19), '0.526316');
});
