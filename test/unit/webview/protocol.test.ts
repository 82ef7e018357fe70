import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base64ToBytes, base64ToFloat32, base64ToUint32, bytesToBase64, float32ToBase64, uint32ToBase64 } from '../../../src/shared/base64';
import { validateHostMessage, validatePersistedState, validateWebviewMessage } from '../../../src/shared/protocolValidation';
import { ProtocolError } from '../../../src/shared/protocolFields';
import type { AnalysisSession } from '../../../src/shared/session';

const session: AnalysisSession = {
  title: 'Figure 3: f4', problem: { expression: '(1 - x*y)^2 + (x^2 + y^2)/20' }, eta: 0.25, learningRates: [],
  starts: [[0.1, 2.5], [1.5, 2]], grid: 256, maxSteps: 2000,
};

test('base64 round-trips bytes and little-endian uint32 (independent of Buffer)', () => {
  const bytes = Uint8Array.of(0, 1, 2, 250, 255, 128);
  assert.equal(bytesToBase64(bytes), Buffer.from(bytes).toString('base64'));
  assert.deepEqual([...base64ToBytes(bytesToBase64(bytes))], [...bytes]);
  // a view into a larger buffer encodes only its own bytes
  const big = Uint8Array.of(9, 9, 1, 2, 3, 9);
  assert.deepEqual([...base64ToBytes(bytesToBase64(big.subarray(2, 5)))], [1, 2, 3]);
  // Int8 −1 travels as byte 255
  assert.deepEqual([...base64ToBytes(bytesToBase64(Int8Array.of(-1, 3)))], [255, 3]);
  const values = [0, 1, 256, 65536, 4294967295];
  const b64 = uint32ToBase64(values);
  assert.deepEqual([...Buffer.from(b64, 'base64')].slice(4, 8), [1, 0, 0, 0], 'little-endian');
  assert.deepEqual([...base64ToUint32(b64)], values);
  // large payloads (chunked encoding)
  const many = new Uint8Array(200_000).map((_, i) => i % 251);
  assert.deepEqual(base64ToBytes(bytesToBase64(many)), many);
  assert.throws(() => base64ToUint32(bytesToBase64(Uint8Array.of(1, 2, 3))), ProtocolError);
});

test('float32 wire format: little-endian IEEE 754 single, NaN and ±∞ survive, odd lengths refused', () => {
  const values = [4, 4.873, -0, NaN, Infinity, -Infinity, 1e-40, 3.4e38];
  const b64 = float32ToBase64(values);
  // independent of the helper: Buffer's own little-endian float writer
  const ref = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => ref.writeFloatLE(v, 4 * i));
  assert.equal(b64, ref.toString('base64'));
  assert.deepEqual([...Buffer.from(b64, 'base64')].slice(0, 4), [0, 0, 0x80, 0x40], '4.0f = 0x40800000, little-endian');
  const back = base64ToFloat32(b64);
  assert.equal(back.length, values.length);
  values.forEach((v, i) => {
    if (Number.isNaN(v)) assert.ok(Number.isNaN(back[i]));
    else assert.equal(back[i], Math.fround(v));
  });
  assert.ok(Object.is(back[2], -0));
  assert.throws(() => base64ToFloat32(bytesToBase64(Uint8Array.of(1, 2, 3, 4, 5))), /float32 payload of 5 bytes/);
});

test('analysis: an optional definedness is checked when present', () => {
  const analysis = { variables: ['x', 'y'], normalized: 'x^2', domain: [[-3, 3], [-3, 3]], axes: [0, 1], base: [0, 0], criticalPoints: [], minima: [], etaMax: null };
  assert.ok(validateHostMessage({ type: 'analysis', analysis }));
  const definedness = { samples: 4096, undefinedFraction: 0.5, example: [-1, 0], unproven: ['log'] };
  assert.ok(validateHostMessage({ type: 'analysis', analysis: { ...analysis, definedness } }));
  assert.ok(validateHostMessage({ type: 'analysis', analysis: { ...analysis, definedness: { ...definedness, example: null, unproven: [] } } }));
  assert.throws(() => validateHostMessage({ type: 'analysis', analysis: { ...analysis, definedness: { ...definedness, undefinedFraction: 1.5 } } }), /definedness\.undefinedFraction: must be ≤ 1/);
  assert.throws(() => validateHostMessage({ type: 'analysis', analysis: { ...analysis, definedness: { ...definedness, unproven: [3] } } }), /definedness\.unproven: expected an array of names/);
  assert.throws(() => validateHostMessage({ type: 'analysis', analysis: { ...analysis, definedness: 'all' } }), /definedness: expected an object/);
});

test('webview → host: valid messages pass', () => {
  const msgs = [
    { type: 'ready', protocol: 1 },
    { type: 'basin', requestId: 3, purpose: 'main', stripIndex: 0, eta: 0.25, xRange: [-3, 3], yRange: [-3, 3], grid: 256 },
    { type: 'trajectory', requestId: 4, eta: 0.25, init: [0.1, 2.5] },
    { type: 'sweep', requestId: 5, xRange: [-3, 3], yRange: [-1, 1], grid: 64 },
    { type: 'cancel', requestId: null },
    { type: 'export', format: 'npy', pngBase64: null },
    { type: 'pngData', requestId: 1000000000, pngBase64: 'iVBORw0KGgo=' },
    { type: 'viewState', view: { eta: 0.2, xRange: null, yRange: null } },
  ];
  for (const m of msgs) assert.equal(validateWebviewMessage(m), m);
});

test('webview → host: bad messages are rejected naming the field', () => {
  const bad: [unknown, RegExp][] = [
    [null, /expected an object/],
    [{ type: 'nope' }, /unknown webview message type "nope"/],
    [{ type: 'basin', requestId: 1, purpose: 'main', stripIndex: 0, eta: -1, xRange: [-3, 3], yRange: [-3, 3], grid: 8 }, /eta: must be > 0/],
    [{ type: 'basin', requestId: 1, purpose: 'main', stripIndex: 0, eta: 1, xRange: [3, -3], yRange: [-3, 3], grid: 8 }, /xRange: expected \[lo, hi\]/],
    [{ type: 'basin', requestId: 1, purpose: 'side', stripIndex: 0, eta: 1, xRange: [-3, 3], yRange: [-3, 3], grid: 8 }, /purpose: expected one of/],
    [{ type: 'basin', requestId: 1.5, purpose: 'main', stripIndex: 0, eta: 1, xRange: [-3, 3], yRange: [-3, 3], grid: 8 }, /requestId: expected an integer/],
    [{ type: 'trajectory', requestId: 1, eta: 0.1, init: [] }, /init: expected at least one/],
    [{ type: 'trajectory', requestId: 1, eta: 0.1, init: [1, NaN] }, /init\[1\]: expected a finite number/],
    [{ type: 'export', format: 'exe', pngBase64: null }, /format: expected one of/],
    [{ type: 'export', format: 'png', pngBase64: 'not base64!' }, /pngBase64: expected base64/],
    [{ type: 'ready', protocol: 'one' }, /protocol: expected a finite number/],
  ];
  for (const [m, re] of bad) assert.throws(() => validateWebviewMessage(m), (e: unknown) => e instanceof ProtocolError && re.test(e.message), JSON.stringify(m));
});

test('host → webview: rows, trajectories and errors validate; malformed ones do not', () => {
  const rows = {
    type: 'basinRows', requestId: 1, rowStart: 0, rowEnd: 2, width: 2,
    classes: bytesToBase64(Uint8Array.of(3, 4, 0, 1)), minimum: bytesToBase64(Int8Array.of(0, 0, -1, -1)),
    steps: uint32ToBase64([1, 2, 3, 4]), unstableSteps: uint32ToBase64([0, 2, 0, 0]),
    limitSharpness: float32ToBase64([4.5, 4.75, NaN, NaN]), period: bytesToBase64(Uint8Array.of(0, 0, 0, 0)),
    increases: bytesToBase64(Uint16Array.of(0, 3, 0, 0)),
    progress: { rowsDone: 2, rowsTotal: 2, fraction: 1, pixelsPerSecond: 1e6 },
  };
  assert.equal(validateHostMessage(rows), rows);
  // the limit sharpness and the period are required, as base64 text
  const { limitSharpness: _s, ...noSharpness } = rows;
  assert.throws(() => validateHostMessage(noSharpness), /message\(basinRows\)\.limitSharpness: expected a string/);
  assert.throws(() => validateHostMessage({ ...rows, period: 'not base64!' }), /message\(basinRows\)\.period: expected base64 text/);
  assert.throws(() => validateHostMessage({ ...rows, rowEnd: -1 }), /rowEnd/);
  assert.throws(() => validateHostMessage({ ...rows, classes: 42 }), /classes: expected a string/);
  const trajectory = {
    eta: 0.25, init: [0.1, 2.5], n: 2, steps: 1, theta: [0.1, 2.5, 0.2, 2.0], loss: [3, NaN], gradNorm: [1, null], sharpness: [2, 2],
    increased: [0, 0], outcome: 'diverged', minimum: null, K: 0, increases: 0, firstIncreaseAt: null, enteredCertifiedAt: null,
  };
  assert.ok(validateHostMessage({ type: 'trajectory', requestId: 2, trajectory }));
  assert.throws(() => validateHostMessage({ type: 'trajectory', requestId: 2, trajectory: { ...trajectory, theta: [1, 2, 3] } }), /theta: expected \(steps\+tail\+1\)·n/);
  assert.throws(() => validateHostMessage({ type: 'trajectory', requestId: 2, trajectory: { ...trajectory, loss: [1] } }), /loss: expected steps\+tail\+1/);
  assert.ok(validateHostMessage({ type: 'error', requestId: null, message: 'bad' }));
  assert.throws(() => validateHostMessage({ type: 'error', requestId: null }), /message: expected a string/);
  assert.ok(validateHostMessage({ type: 'session', session, view: null }));
  assert.throws(() => validateHostMessage({ type: 'session', session: { ...session, grid: 0 }, view: null }), /grid: must be ≥ 2/);
  assert.throws(() => validateHostMessage({ type: 'session', session: { ...session, starts: [[1, 'a']] }, view: null }), /starts\[0\]/);
  assert.throws(() => validateHostMessage({ type: 'command', command: 'rm', requestId: 1 }), /command: expected one of/);
});

test('persisted state for the serializer', () => {
  const state = { session, view: { eta: 0.3, xRange: [-1, 1], yRange: [0, 2] } };
  assert.deepEqual(validatePersistedState(state), state);
  assert.throws(() => validatePersistedState(undefined), ProtocolError);
  assert.throws(() => validatePersistedState({ session, view: { eta: 0 } }), /eta: must be > 0/);
  assert.throws(() => validatePersistedState({ session: { title: 1 }, view: { eta: 1 } }), /title: expected a string/);
});
