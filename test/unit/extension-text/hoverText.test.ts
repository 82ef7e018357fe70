import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandUri, fractionsFromStats, learningRateHoverMarkdown, objectiveHoverMarkdown, regimeOf, statusBarText } from '../../../src/config/hoverText';
import type { CertificateResult } from '../../../src/engine/types';

// f4 (paper): minima ±(a, a), a = √19/(2√5); λ_max = 19/5; η_max = 10/19 = 0.5263…
const a = Math.sqrt(19) / (2 * Math.sqrt(5));
const minima = [
  { point: [-a, -a], value: 0.0975, lambdaMax: 19 / 5, etaMax: 10 / 19 },
  { point: [a, a], value: 0.0975, lambdaMax: 19 / 5, etaMax: 10 / 19 },
];
const cert = (j: number, tPrime: number): CertificateResult => ({
  ok: true,
  certificate: { minimum: j, eta: 0.25, M: 3, C: 0.625, t1: 0.2, tPrime, c: 0.1, center: minima[j]?.point ?? [] },
});

test('regime boundaries at η·λ_max = 1 and 2', () => {
  assert.equal(regimeOf(0.49, 1).kind, 'monotone');
  assert.equal(regimeOf(0.5, 1).kind, 'oscillating');
  assert.equal(regimeOf(0.99, 1).kind, 'oscillating');
  assert.equal(regimeOf(1, 1).kind, 'beyond');
  assert.match(regimeOf(1.5, 1).words, /diverges from every start near the minimum/);
});

test('learning-rate hover: η, η/η_max, minima table, regime, t′, fractions, command link', () => {
  const md = learningRateHoverMarkdown({
    eta: 0.25,
    variables: ['x', 'y'],
    minima,
    certificates: [cert(0, 0.0731), cert(1, 0.0731)],
    fractions: { stable: 0.62, unstable: 0.21, diverged: 0.17, notConverged: 0, other: 0, grid: 128 },
    openCommand: { command: 'gdStabilityLab.openBasinMap', args: { uri: 'file:///a b.gdlab.json', eta: 0.25 } },
  });
  assert.match(md, /η = 0\.25/);
  // 0.25 / (10/19) = 0.475
  assert.match(md, /η\/η_max = \*\*0\.475\*\*/);
  assert.match(md, /2\/λ_max = 0\.5263/);
  assert.match(md, /\| \(0\.9747, 0\.9747\) \| 0\.0975 \| 3\.8 \| 0\.5263 \| 0\.475 \| 0\.0731 \|/);
  assert.match(md, /Stable everywhere near θ\*/);
  assert.match(md, /stable 62\.0 %\*\*, \*\*unstable 21\.0 %/);
  const link = /\[\$\(graph\) Open basin map at η = 0\.25\]\((command:gdStabilityLab\.openBasinMap\?[^ )]+)/.exec(md);
  assert.ok(link, md);
  const args = JSON.parse(decodeURIComponent((link[1] as string).split('?')[1] as string)) as unknown[];
  assert.deepEqual(args, [{ uri: 'file:///a b.gdlab.json', eta: 0.25 }]);
});

test('hover beyond the threshold and while computing', () => {
  const md = learningRateHoverMarkdown({ eta: 0.6, variables: ['x', 'y'], minima, certificates: 'pending', fractions: 'pending' });
  assert.match(md, /Beyond the threshold/);
  assert.match(md, /none \(η ≥ 2\/λ_max\)/);
  assert.match(md, /computing…/);
  const frac = learningRateHoverMarkdown({ eta: 0.4, writtenFraction: 0.76, variables: ['x', 'y'], minima, certificates: 'pending' });
  assert.match(frac, /written as 0\.76·η_max/);
  assert.match(frac, /Unstable convergence possible/);
  const none = learningRateHoverMarkdown({ eta: 0.1, variables: ['x'], minima: [] });
  assert.match(none, /No strict local minimum/);
});

test('objective hover lists minima and thresholds; status bar text', () => {
  const md = objectiveHoverMarkdown({ normalized: '(1 - x*y)^2 + (x^2 + y^2)/20', variables: ['x', 'y'], minima, otherCriticalPoints: 1, domain: [[-3, 3], [-3, 3]] });
  assert.match(md, /2 strict local minima/);
  assert.match(md, /η_max = 0\.5263/);
  assert.match(md, /x ∈ \[-3, 3\]/);
  assert.match(md, /1 other critical point /);
  const s = statusBarText(0.25, minima);
  assert.equal(s.text, '$(graph) η/η_max 0.475 · stable near θ*');
  assert.equal(s.kind, 'monotone');
  assert.equal(statusBarText(0.5, minima).kind, 'oscillating');
  assert.equal(statusBarText(0.25, []).kind, 'none');
  assert.equal(commandUri('c', { a: 1 }), 'command:c?' + encodeURIComponent('[{"a":1}]'));
});

test('learning-rate hover names a user function’s cases in words: outside minima, a set of minima, still descending, undefined regions', () => {
  // a minimum outside the domain, reached by descent from it
  const outside = learningRateHoverMarkdown({
    eta: 0.2, variables: ['x', 'y'], minima: [{ point: [5.2, -4.3], value: -2.1, lambdaMax: 4.01, etaMax: 2 / 4.01, outside: true }],
  });
  assert.match(outside, /\(5\.2, -4\.3\) \(outside the domain\)/);
  assert.match(outside, /1 of the minima lies \*\*outside the domain\*\* \(marked in the table\): gradient descent from the domain leads there/);
  // (1 − xy)²: no strict minimum, a curve of minima; fractions from the engine's BasinStats shape
  const stats = {
    stable: 0.2246, unstable: 0.1690, diverged: 0.6001, notConverged: 0, other: 0.0063, cycle: 0, aperiodic: 0, descending: 0,
    minimumSet: { stable: 0.2246, unstable: 0.1690 }, unlisted: { stable: 0, unstable: 0 },
  };
  const set = learningRateHoverMarkdown({ eta: 0.4, variables: ['x', 'y'], minima: [], setOfMinima: true, fractions: fractionsFromStats(stats, 96, 2000) });
  assert.match(set, /No strict local minimum in the domain, so there is no single threshold 2\/λ_max — but a \*\*set of minima\*\*/);
  assert.match(set, /λ_max ≤ 2\/η = 5\./);
  // 22.46 % + 16.90 % = 39.36 %
  assert.match(set, /39\.4 % of the starts converge to a \*\*set of minima\*\*/);
  assert.match(set, /\*\*stable 22\.5 %\*\*, \*\*unstable 16\.9 %\*\*, diverged 60\.0 %/);
  assert.doesNotMatch(set, /did not list/);
  // still descending: the key to raise, with a value that decides more
  const slow = learningRateHoverMarkdown({
    eta: 0.002, variables: ['x', 'y'], minima: [{ point: [1, 1], value: 0, lambdaMax: 1001.6, etaMax: 2 / 1001.6 }],
    fractions: fractionsFromStats({ ...stats, stable: 0.01, unstable: 0, diverged: 0, other: 0, descending: 0.99, minimumSet: { stable: 0, unstable: 0 } }, 96, 2000),
  });
  assert.match(slow, /99\.0 % of the starts are \*\*still descending\*\* after 2000 steps: raise `maxSteps` in the config \(e\.g\. `"maxSteps": 20000`\) to decide them\./);
  // f undefined on part of the domain (log(x) on x ≤ 0)
  const log = learningRateHoverMarkdown({
    eta: 0.1, variables: ['x', 'y'], minima: [{ point: [1, 0], value: 0, lambdaMax: 2, etaMax: 1 }],
    definedness: { samples: 4096, undefinedFraction: 0.5, example: [-2.95, -2.95], unproven: ['log'] },
  });
  assert.match(log, /\*\*f is undefined\*\* \(NaN or ±∞\) on about 50\.0 % of the domain .*starts that reach such points count as \*\*diverged\*\*/);
  // none of these sentences where they do not apply
  const plain = learningRateHoverMarkdown({ eta: 0.25, variables: ['x', 'y'], minima, fractions: { stable: 0.62, unstable: 0.21, diverged: 0.17, notConverged: 0, other: 0, grid: 128 } });
  assert.doesNotMatch(plain, /outside the domain|set of minima|still descending|undefined/);
});
