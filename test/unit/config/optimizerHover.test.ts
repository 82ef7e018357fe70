/**
 * The optimizer in the config's downstream: thresholds in diagnostics, the learning-rate hover and
 * the optimizer hover, fractions of the optimizer's own η_max, the session. Numbers checked
 * against closed forms for the paper's f4 (λ_max = 19/5 at both minima).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analysisIssues, optimizerPartAt, parseConfig, primaryEta, smallestEtaMax } from '../../../src/config/config';
import { learningRateHoverMarkdown, statusBarText } from '../../../src/config/hoverText';
import { optimizerHoverMarkdown } from '../../../src/config/optimizerHover';
import { BUILTIN_DEFAULTS, sessionFromConfig } from '../../../src/config/session';
import { resolveOptimizer } from '../../../src/engine/optimizers';

const a = Math.sqrt(19) / (2 * Math.sqrt(5));
const minima = [
  { point: [-a, -a], value: 0.0975, lambdaMax: 19 / 5, etaMax: 10 / 19 },
  { point: [a, a], value: 0.0975, lambdaMax: 19 / 5, etaMax: 10 / 19 },
];
const f4 = (extra: string): string => `{"objective": "(1 - x*y)^2 + (x^2 + y^2)/20", "domain": {"x": [-3, 3], "y": [-3, 3]}${extra}}`;

test('η_max of the configured optimizer: 2(1+β)/λ_max for heavy-ball, (2+2β)/((1+2β)λ_max) for Nesterov, none for Adam', () => {
  assert.ok(Math.abs((smallestEtaMax(minima) as number) - 10 / 19) < 1e-15);
  assert.ok(Math.abs((smallestEtaMax(minima, resolveOptimizer({ name: 'momentum' })) as number) - 1) < 1e-15);
  assert.ok(Math.abs((smallestEtaMax(minima, resolveOptimizer({ name: 'nesterov', beta: 0.5 })) as number) - 3 / (2 * 3.8)) < 1e-15);
  assert.equal(smallestEtaMax(minima, resolveOptimizer({ name: 'adam' })), null);
});

test('diagnostics: the learning-rate warning uses the optimizer\'s threshold; lrFractions are refused for Adam', () => {
  // η = 0.6 is beyond GD's 10/19 but below heavy-ball's 1
  const gd = parseConfig(f4(', "lr": 0.6'), 'json');
  assert.equal(analysisIssues(gd, minima).filter((i) => i.code === 'lr-threshold').length, 1);
  const hb = parseConfig(f4(', "lr": 0.6, "optimizer": "momentum"'), 'json');
  assert.equal(analysisIssues(hb, minima).length, 0);
  const hbBeyond = parseConfig(f4(', "lr": 1.2, "optimizer": "momentum"'), 'json');
  const w = analysisIssues(hbBeyond, minima);
  assert.equal(w.length, 1);
  assert.match(w[0].message, /η = 1\.2 \(heavy-ball momentum \(β = 0\.9\)\) diverges from every start near each of the 2 minima: 2\(1\+β\)\/λ_max = 1$/);
  const text = f4(', "optimizer": "adam", "lrFractions": [0.5]');
  const e = parseConfig(text, 'json').issues.filter((i) => i.severity === 'error');
  assert.equal(e.length, 1);
  assert.equal(text.slice(e[0].range.start, e[0].range.end), '"lrFractions"');
  assert.match(e[0].message, /Adam's threshold depends on the trajectory/);
  const frac = parseConfig(f4(', "optimizer": {"name": "nesterov", "beta": 0.5}, "lrFractions": [1.5]'), 'json');
  assert.match(frac.issues[0]?.message ?? '', /beyond the threshold \(2\+2β\)\/\(\(1\+2β\)λ_max\): Nesterov momentum \(β = 0\.5\) diverges/);
});

test('session: fractions of the optimizer\'s η_max, the optimizer carried, a default η for Adam', () => {
  const hb = parseConfig(f4(', "optimizer": "momentum", "lrFractions": [0.5, 0.9]'), 'json');
  const s = sessionFromConfig(hb, minima, BUILTIN_DEFAULTS);
  assert.ok(s);
  assert.deepEqual(s.optimizer, { name: 'momentum', beta: 0.9 });
  assert.ok(Math.abs((s.learningRates[0] as number) - 0.5) < 1e-15 && Math.abs((s.learningRates[1] as number) - 0.9) < 1e-15);
  const adam = parseConfig(f4(', "optimizer": "adam"'), 'json');
  const sa = sessionFromConfig(adam, minima, BUILTIN_DEFAULTS);
  assert.equal(sa?.eta, 0.01);
  assert.equal(primaryEta(adam, null), 0.01);
  assert.equal(sessionFromConfig(parseConfig(f4(''), 'json'), minima, BUILTIN_DEFAULTS)?.optimizer, undefined);
});

test('learning-rate hover: heavy-ball threshold and the spiralling band; Adam\'s line and what a static threshold promises', () => {
  const hb = learningRateHoverMarkdown({ eta: 0.5, variables: ['x', 'y'], minima, optimizer: resolveOptimizer({ name: 'momentum' }) });
  assert.match(hb, /η_max = 2\(1\+β\)\/λ_max = 1 \(smallest over the minima\), η\/η_max = \*\*0\.5\*\*/);
  // ηλ_max = 1.9 ∈ ((1 − √0.9)², (1 + √0.9)²) = (0.00263, 3.8)
  assert.match(hb, /ηλ_max = 1\.9 lies in \(0\.00263, 3\.8\)/);
  assert.doesNotMatch(hb, /certified radius t′/);
  const adam = learningRateHoverMarkdown({ eta: 0.01, variables: ['x', 'y'], minima, optimizer: resolveOptimizer({ name: 'adam' }) });
  assert.match(adam, /\(2\+2β₁\)\/\(\(1−β₁\)η\) = 3800 at η = 0\.01/);
  // point threshold (2+2β₁)ε/((1−β₁)λ_max) = 38e-8/3.8 = 1e-7
  assert.match(adam, /settle \*at\* θ\* only if η < \(2\+2β₁\)ε\/\(\(1−β₁\)λ_max\) = 1e-7/);
  assert.match(adam, /η = 0\.01 is above it/);
  assert.match(adam, /What it cannot/);
  const tiny = learningRateHoverMarkdown({ eta: 5e-8, variables: ['x', 'y'], minima, optimizer: resolveOptimizer({ name: 'adam' }) });
  assert.match(tiny, /η = 5e-8 is below it/);
  assert.match(statusBarText(0.01, minima, resolveOptimizer({ name: 'adam' })).text, /Adam η 0\.01/);
  assert.match(statusBarText(0.5, minima, resolveOptimizer({ name: 'momentum' })).text, /η\/η_max 0\.5/);
});

test('optimizer hover: every parameter with its meaning, range and default; where the cursor is', () => {
  const text = f4(', "lr": 0.01, "optimizer": {"name": "adam", "beta1": 0.8, "epsilon": 1e-6}');
  const c = parseConfig(text, 'json');
  assert.equal(optimizerPartAt(c, text.indexOf('"adam"') + 2), 'name');
  assert.equal(optimizerPartAt(c, text.indexOf('"beta1"') + 2), 'beta1');
  assert.equal(optimizerPartAt(c, text.indexOf('1e-6') + 1), 'epsilon');
  assert.equal(optimizerPartAt(c, text.indexOf('"optimizer"') + 1), 'name');
  assert.equal(optimizerPartAt(c, text.indexOf('"lr"') + 1), undefined);
  const spec = c.optimizer;
  assert.ok(spec);
  const md = optimizerHoverMarkdown({ spec, focus: 'beta1', eta: 0.01, minima });
  assert.match(md, /\*\*β₁\*\* = 0\.8 — decay rate β₁ of the first-moment/);
  assert.match(md, /Valid: in \[0, 1\); default 0\.9/);
  // (2 + 1.6)/(0.2 · 0.01) = 1800
  assert.match(md, /λ_max\(P⁻¹∇²f\) = 1800/);
  const eps = optimizerHoverMarkdown({ spec, focus: 'epsilon' });
  assert.match(eps, /\*\*ε\*\* = 1e-6 — ε added to √v/);
  assert.match(eps, /Valid: positive and finite; default 1e-8/);
  const hb = optimizerHoverMarkdown({ spec: resolveOptimizer({ name: 'momentum', beta: 0.5 }), focus: 'name', eta: 0.5, minima });
  // 2(1.5)/3.8 = 0.7895
  assert.match(hb, /η_max = 2\(1\+β\)\/λ_max = 0\.7895/);
  assert.match(hb, /Options: `gd`/);
});

test('learning-rate hover under momentum: the fractions come with the loss-increase numbers', () => {
  const md = learningRateHoverMarkdown({
    eta: 0.25, variables: ['x', 'y'], minima, optimizer: resolveOptimizer({ name: 'momentum' }),
    fractions: { stable: 0, unstable: 0.36, diverged: 0.64, notConverged: 0, other: 0, grid: 64, anyIncrease: 1, meanIncreases: 65.7 },
  });
  assert.match(md, /\*\*stable 0\.0 %\*\*, \*\*unstable 36\.0 %/);
  assert.match(md, /Loss increases: 100\.0 % of the starts had at least one before their outcome was decided; converged starts had 65\.7 on average/);
  const gd = learningRateHoverMarkdown({ eta: 0.25, variables: ['x', 'y'], minima, fractions: { stable: 0.6, unstable: 0.2, diverged: 0.2, notConverged: 0, other: 0, grid: 64, anyIncrease: 0.2, meanIncreases: 0.5 } });
  assert.doesNotMatch(gd, /Loss increases/);
});
