/**
 * Memory of one long network run in a fresh process: a 2→256→256→1 tanh MLP (66,817 parameters)
 * trained by GD for 10,000 steps with the sharpness measured every 20 steps. Prints one JSON line.
 */
import { prepareModel } from '../src/engine/nn/model';
import { validateModelSpec } from '../src/engine/nn/spec';
import { TrainingSession } from '../src/engine/nn/train';

const steps = Number(process.argv[2] ?? 10_000);
const every = 20;
const points = 8;
if (global.gc) global.gc();
const rssBefore = process.memoryUsage().rss;
let peakRss = rssBefore;
const v = validateModelSpec({ kind: 'mlp', hidden: [256, 256], activation: 'tanh', data: { generate: 'teacher', n: points, inputs: 2, outputs: 1 }, init: { seed: 0 } });
if (v.errors) throw new Error(JSON.stringify(v.errors));
const built = prepareModel(v.spec);
if (!built.model) throw new Error('memory model does not build');
const rssAfterBuild = process.memoryUsage().rss;
const session = new TrainingSession(built.model, { learningRates: [0.02], steps, sharpnessEvery: every, lanczosTol: 1e-6 });
const started = performance.now();
while (!session.advance(50)) peakRss = Math.max(peakRss, process.memoryUsage().rss);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const result = session.result();
const run = result.runs[0];
const resultBytes = [run.loss, run.gradNorm, run.increased, run.sharpnessSteps, run.sharpness, run.topEigenvalues, run.hvps, run.finalParams].reduce((s, a) => s + a.byteLength, 0);
process.stdout.write(JSON.stringify({
  params: built.model.network.nParams, points, steps, every, seconds: (performance.now() - started) / 1000,
  rssBefore, rssAfterBuild, peakRss, resultBytes, hvps: result.hvps,
}) + '\n');
