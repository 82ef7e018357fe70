/**
 * The selector's form (the config's ranges, every bad field named at once), the momentum
 * certificate's ellipse in a map slice (against closed forms: a diagonal form's semi-axes, a
 * sphere cut by a plane), the legend's words, and the absolute η slider.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { optimizerAnalysis } from '../../../src/engine/optimizers/analysis';
import { OPTIMIZER_NAMES, OptimizerError, resolveOptimizer } from '../../../src/engine/optimizers/spec';
import { ABSOLUTE_MAX_ETA, ABSOLUTE_MIN_ETA, etaFromAbsoluteSlider, etaToAbsoluteSlider, SLIDER_STEPS } from '../../../webview/lib/eta';
import { defaultSpec, formFields, formValues, parseOptimizerForm } from '../../../webview/lib/optimizerForm';
import { minimumThresholdText, momentumOutlines, momentumRegionInSlice, optimizerCertifiedNote, OUTLINE_POINTS } from '../../../webview/lib/optimizerMap';
import { F4_ANALYSIS, F4_PROBLEM } from './panelFixture';
import { PixelClass } from '../../../src/engine/types';
import { createMapData } from '../../../webview/lib/colors';
import { sharpnessAxisMax } from '../../../webview/lib/compare';
import { increaseRange, increaseScale } from '../../../webview/lib/increaseLayer';

test('form: each optimizer’s fields with the config’s defaults read back to the same spec', () => {
  for (const name of OPTIMIZER_NAMES) {
    const spec = defaultSpec(name);
    assert.deepEqual(spec, resolveOptimizer({ name }));
    const parsed = parseOptimizerForm(name, formValues(spec));
    assert.deepEqual(parsed.spec, spec, name);
  }
  assert.deepEqual(formFields('adam').map((p) => p.key), ['beta1', 'beta2', 'epsilon', 'biasCorrection']);
  assert.deepEqual(formFields('gd'), []);
  assert.deepEqual(parseOptimizerForm('momentum', { beta: ' 0.5 ' }).spec, { name: 'momentum', beta: 0.5 });
  assert.deepEqual(parseOptimizerForm('adam', { beta1: '0', beta2: '0.99', epsilon: '1e-6', biasCorrection: false }).spec,
    { name: 'adam', beta1: 0, beta2: 0.99, epsilon: 1e-6, biasCorrection: false });
});

test('form: a value the config rejects is rejected with the same range, every bad field at once', () => {
  const bad = parseOptimizerForm('adam', { beta1: '1', beta2: 'x', epsilon: '0', biasCorrection: true });
  assert.deepEqual(Object.keys(bad.errors ?? {}).sort(), ['beta1', 'beta2', 'epsilon']);
  assert.equal(bad.errors?.beta1, 'β₁ must be in [0, 1), got 1');
  assert.equal(bad.errors?.beta2, 'β₂: "x" is not a number');
  assert.equal(bad.errors?.epsilon, 'ε must be positive and finite, got 0');
  assert.match(parseOptimizerForm('momentum', { beta: '' }).errors?.beta ?? '', /enter a number in \[0, 1\)/);
  assert.match(parseOptimizerForm('nesterov', { beta: '-0.1' }).errors?.beta ?? '', /β must be in \[0, 1\), got -0.1/);
  // the boundary values agree with resolveOptimizer, the config's validator
  for (const [name, key, value] of [['momentum', 'beta', 0.999999], ['momentum', 'beta', 1], ['rmsprop', 'beta2', 0], ['rmsprop', 'epsilon', -1e-300], ['adam', 'epsilon', 1e-300]] as const) {
    const formOk = parseOptimizerForm(name, { [key]: String(value) }).spec !== undefined;
    let configOk = true;
    try {
      resolveOptimizer({ name, [key]: value });
    } catch (err) {
      assert.ok(err instanceof OptimizerError);
      configOk = false;
    }
    assert.equal(formOk, configOk, `${name}.${key} = ${value}`);
  }
});

test('momentum region in a slice: a diagonal form gives semi-axes √(level/s), every outline point on the level set', () => {
  const cert = { minimum: 0, center: [1, -2], slice: [4, 0, 0, 0.25], level: 1 };
  const o = momentumRegionInSlice(cert, [1, -2], [0, 1]);
  assert.ok(o);
  assert.equal(o.points.length, 2 * OUTLINE_POINTS);
  assert.deepEqual([o.cx, o.cy], [1, -2]);
  assert.ok(Math.abs(o.radius - 2) < 1e-12, 'semi-axes 1/2 and 2');
  const xs = Array.from({ length: OUTLINE_POINTS }, (_, k) => o.points[2 * k]);
  assert.ok(Math.abs(Math.max(...xs) - 1.5) < 1e-12 && Math.abs(Math.min(...xs) - 0.5) < 1e-12);
  // a rotated form: S = R diag(1, 9) Rᵀ; each point satisfies (p − c)ᵀS(p − c) = level
  const c = Math.cos(0.3), s = Math.sin(0.3);
  const S = [c * c + 9 * s * s, (1 - 9) * c * s, (1 - 9) * c * s, s * s + 9 * c * c];
  const r = momentumRegionInSlice({ minimum: 1, center: [0, 0], slice: S, level: 0.5 }, [0, 0], [0, 1]);
  assert.ok(r);
  for (let k = 0; k < OUTLINE_POINTS; k++) {
    const x = r.points[2 * k], y = r.points[2 * k + 1];
    const q = S[0] * x * x + 2 * S[1] * x * y + S[3] * y * y;
    assert.ok(Math.abs(q - 0.5) < 1e-12, `point ${k}: ${q}`);
  }
});

test('momentum region in a slice of a 3-D problem: a unit sphere cut at z = 0.6 is a circle of radius 0.8; a plane missing it gives none', () => {
  const sphere = { minimum: 0, center: [0, 0, 0], slice: [1, 0, 0, 0, 1, 0, 0, 0, 1], level: 1 };
  const o = momentumRegionInSlice(sphere, [0, 0, 0.6], [0, 1]);
  assert.ok(o);
  assert.ok(Math.abs(o.radius - 0.8) < 1e-12);
  // axes x and z at y = 0.6: the same circle, in (x, z)
  const xz = momentumRegionInSlice(sphere, [0.3, 0.6, 0.2], [0, 2]);
  assert.ok(xz && Math.abs(xz.radius - 0.8) < 1e-12 && xz.cx === 0 && xz.cy === 0);
  // a coupled form: S = [[2, 1, 1], [1, 2, 0], [1, 0, 2]] cut at z = 0.5, centre shifts to −A⁻¹b
  const S = [2, 1, 1, 1, 2, 0, 1, 0, 2];
  const cut = momentumRegionInSlice({ minimum: 0, center: [0, 0, 0], slice: S, level: 2 }, [0, 0, 0.5], [0, 1]);
  assert.ok(cut);
  // b = (S_xz, S_yz)·0.5 = (0.5, 0); A = [[2,1],[1,2]]; −A⁻¹b = (−1/3, 1/6)
  assert.ok(Math.abs(cut.cx + 1 / 3) < 1e-12 && Math.abs(cut.cy - 1 / 6) < 1e-12);
  for (let k = 0; k < OUTLINE_POINTS; k++) {
    const d = [cut.points[2 * k], cut.points[2 * k + 1], 0.5];
    let q = 0;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) q += d[i] * S[3 * i + j] * d[j];
    assert.ok(Math.abs(q - 2) < 1e-12, `point ${k}: ${q}`);
  }
  assert.equal(momentumRegionInSlice(sphere, [0, 0, 1.2], [0, 1]), null, 'the plane misses the ball');
  assert.equal(momentumRegionInSlice(sphere, [0, 0, 0], [1, 1]), null, 'one axis');
});

test('f4 under heavy-ball 0.9 at η = 0.25: both certified regions around the minima, and the legend names the momentum certificate', () => {
  const a = optimizerAnalysis(F4_PROBLEM, resolveOptimizer({ name: 'momentum', beta: 0.9 }), 0.25);
  const outlines = momentumOutlines(a, F4_ANALYSIS.base, F4_ANALYSIS.axes);
  assert.equal(outlines.length, 2);
  for (const o of outlines) {
    const m = F4_ANALYSIS.minima[o.minimum].point;
    assert.ok(Math.hypot(o.cx - m[0], o.cy - m[1]) < 1e-6, 'centred on its minimum');
    assert.ok(o.radius > 0 && o.radius < 0.1, `radius ${o.radius}`);
  }
  assert.match(optimizerCertifiedNote(a, 2), /momentum certificate of 2 of 2 minima.*Theorem 2's circles are for GD/);
  const adam = optimizerAnalysis(F4_PROBLEM, resolveOptimizer({ name: 'adam' }), 0.05);
  assert.deepEqual(momentumOutlines(adam, F4_ANALYSIS.base, F4_ANALYSIS.axes), []);
  // Adam's convention in words: the inner radius η√n = 0.05·√2
  assert.match(optimizerCertifiedNote(adam, 2), /no certified region for Adam: converged = entered ‖θ − θ\*‖ < 0\.0707 \(η√n\).*a convention, not a proof/);
});

test('absolute η slider (Adam / RMSProp): log scale from 1e-4 to 10, positions and values round-trip', () => {
  assert.equal(etaFromAbsoluteSlider(0), ABSOLUTE_MIN_ETA);
  assert.equal(etaFromAbsoluteSlider(SLIDER_STEPS), ABSOLUTE_MAX_ETA);
  assert.equal(etaFromAbsoluteSlider(SLIDER_STEPS / 2), 0.0316, '√(1e-4·10) to 3 digits');
  for (const eta of [0.001, 0.01, 0.05, 0.2, 1]) {
    const back = etaFromAbsoluteSlider(etaToAbsoluteSlider(eta));
    assert.ok(Math.abs(back / eta - 1) < 0.01, `${eta} → ${back}`);
  }
  assert.equal(etaToAbsoluteSlider(1e-9), 0);
  assert.equal(etaToAbsoluteSlider(1e9), SLIDER_STEPS);
});

test('increase layer scale: from the smallest to the largest count of the converged starts (log), others ignored', () => {
  const map = createMapData(3, 2);
  map.classes.set([PixelClass.Unstable, PixelClass.Unstable, PixelClass.Diverged, PixelClass.Stable, PixelClass.Unstable, PixelClass.Diverged]);
  map.increases.set([50, 200, 9000, 0, 120, 7]);
  map.rowFilled.fill(1, 0, 1);
  assert.deepEqual(increaseRange(map), [50, 200], 'row 0 only; the diverged 9000 ignored');
  map.rowFilled.fill(1);
  assert.deepEqual(increaseRange(map), [0, 200]);
  assert.equal(increaseScale(0, [0, 200]), 0);
  assert.equal(increaseScale(200, [0, 200]), 1);
  assert.ok(Math.abs(increaseScale(50, [50, 200]) - 0) < 1e-15);
  assert.ok(Math.abs(increaseScale(Math.sqrt(51 * 201) - 1, [50, 200]) - 0.5) < 1e-12, 'the geometric middle of 1 + v sits mid-scale');
  assert.equal(increaseScale(3, [3, 3]), 0);
});

test('sharpness axis: 1.5 × the line, or above the 90th percentile of the run — a diverging tail runs off the top', () => {
  assert.equal(sharpnessAxisMax([1, 2, 3], 8), 12);
  const diverging = [14, 12, 15, 13, 14, 16, 18, 22, 30, 60, 1e3, 1e9, 1e24, null, NaN];
  const top = sharpnessAxisMax(diverging, 15.2);
  assert.ok(top >= 1.5 * 15.2 && top < 1e4, `axis top ${top}`);
  assert.equal(sharpnessAxisMax([], 2), 3);
});

test('a minimum’s threshold in words under each optimizer (f4: λ_max = 3.8)', () => {
  assert.equal(minimumThresholdText(3.8, { name: 'gd' }), 'η_max = 2/λ_max = 0.5263');
  assert.equal(minimumThresholdText(3.8, resolveOptimizer({ name: 'momentum', beta: 0.9 })), 'η_max = 2(1+β)/λ_max = 1');
  assert.equal(minimumThresholdText(3.8, resolveOptimizer({ name: 'nesterov', beta: 0.9 })), 'η_max = (2+2β)/((1+2β)λ_max) = 0.3571');
  // Adam at β₁ = 0.9, ε = 1e-8: 38·1e-8/3.8 = 1e-7
  assert.equal(minimumThresholdText(3.8, resolveOptimizer({ name: 'adam' })), 'no static η_max (Adam); settles at θ* only for η < (2+2β₁)ε/((1−β₁)λ_max) = 1.00e-7');
});
