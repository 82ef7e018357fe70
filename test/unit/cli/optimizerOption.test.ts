import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../../../src/cli/args';
import { OPTIMIZER_FLAGS, OPTIMIZER_OPTIONS, optimizerFromArgs } from '../../../src/cli/optimizerOption';
import { resolveOptimizer } from '../../../src/engine/optimizers';

const parse = (argv: string[]) => parseArgs(argv, { values: [...OPTIMIZER_OPTIONS], flags: [...OPTIMIZER_FLAGS] });
const usage = (argv: string[], text: RegExp, configured = null as ReturnType<typeof resolveOptimizer> | null): void => {
  assert.throws(() => optimizerFromArgs(parse(argv), configured), (e: unknown) => e instanceof UsageError && text.test(e.message), argv.join(' '));
};

test('--optimizer and parameters resolve with defaults; the config is the base, the command line wins', () => {
  assert.deepEqual(optimizerFromArgs(parse([])), { name: 'gd' });
  assert.deepEqual(optimizerFromArgs(parse(['--optimizer', 'momentum'])), { name: 'momentum', beta: 0.9 });
  assert.deepEqual(optimizerFromArgs(parse(['--optimizer', 'nesterov', '--beta', '0.5'])), { name: 'nesterov', beta: 0.5 });
  assert.deepEqual(optimizerFromArgs(parse(['--optimizer', 'adam', '--no-bias-correction', '--eps', '1e-6'])), {
    name: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-6, biasCorrection: false,
  });
  assert.deepEqual(optimizerFromArgs(parse(['--optimizer=rmsprop', '--bias-correction', '--beta2', '0.9'])), {
    name: 'rmsprop', beta2: 0.9, epsilon: 1e-8, biasCorrection: true,
  });
  const configured = resolveOptimizer({ name: 'adam', beta1: 0.8 });
  assert.deepEqual(optimizerFromArgs(parse(['--beta2', '0.99']), configured), { ...configured, beta2: 0.99 });
  assert.deepEqual(optimizerFromArgs(parse(['--optimizer', 'adam']), configured), configured, 'same name keeps the configured parameters');
  assert.deepEqual(optimizerFromArgs(parse(['--optimizer', 'gd']), configured), { name: 'gd' }, 'another name starts from its defaults');
});

test('bad optimizer options name the option, the range and the nearest name', () => {
  usage(['--optimizer', 'adamw'], /^--optimizer: unknown optimizer 'adamw' \(did you mean 'adam'\?\)/);
  usage(['--optimizer', 'momentum', '--beta', '1'], /^--beta: beta \(β\) must be in \[0, 1\), got 1/);
  usage(['--optimizer', 'adam', '--eps', '0'], /^--eps: epsilon \(ε\) must be positive and finite, got 0/);
  usage(['--optimizer', 'adam', '--beta1', 'x'], /--beta1 must be a number, got 'x'/);
  usage(['--beta', '0.9'], /--beta does not apply to --optimizer gd \(it is for momentum, nesterov\)/);
  usage(['--optimizer', 'momentum', '--eps', '1e-8'], /--eps does not apply to --optimizer momentum \(it is for rmsprop, adam\)/);
  usage(['--optimizer', 'adam', '--bias-correction', '--no-bias-correction'], /either --bias-correction or --no-bias-correction/);
  usage(['--optimizer', 'rmsprop', '--beta1', '0.9'], /--beta1 does not apply to --optimizer rmsprop \(it is for adam\)/);
});
