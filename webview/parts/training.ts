/**
 * The training view of a network session: its title and model, progress with Stop (the runs end
 * and keep what they computed) and Train again, the loss / sharpness / ‖∇L‖ charts with every
 * learning rate overlaid (click a legend entry to focus one: its loss is drawn red while unstable,
 * black after K), a line per run, and CSV / JSON export of the run. Its state is a view slice
 * (state/training.ts) registered here.
 */
import type { ValueElement } from '../core/dom';
import type { Part } from '../core/part';
import { fmt } from '../lib/format';
import { runSummary, thresholdName } from '../lib/training';
import { comparedSharpness, firstAtThreshold, runK, trainingSlice, type TrainJobState } from '../state/training';
import type { NetworkSession } from '../../src/shared/networkSession';
import { TrainingCharts } from '../widgets/trainingCharts';

function statusText(session: NetworkSession, job: TrainJobState): string {
  const what = `${session.learningRates.length} learning rate${session.learningRates.length === 1 ? '' : 's'} × ${session.steps} steps (${session.optimizerLabel})`;
  if (job.error) return `Training failed: ${job.error}`;
  if (job.done) return `${job.cancelled ? 'Stopped' : 'Trained'} ${what} in ${(job.elapsedMs / 1000).toFixed(1)} s${job.cancelled ? ': the charts show what was computed' : ''}.`;
  if (job.stopping) return 'Stopping… (the runs keep what they computed)';
  return `Training ${what}: ${Math.floor(job.fraction * 100)}%`;
}

export const trainingPart: Part = {
  name: 'training view',
  fragments: [{
    slot: 'network',
    html: `
<section id="training-section" aria-label="Network training" hidden>
  <h1 id="network-title"></h1>
  <div id="network-model" class="mono muted"></div>
  <div class="row">
    <vscode-progress-bar id="training-progress" aria-label="Training progress"></vscode-progress-bar>
    <span id="training-status" role="status" aria-live="polite"></span>
    <vscode-button id="training-stop" secondary aria-label="Stop training and keep what was computed">Stop</vscode-button>
    <vscode-button id="training-again" secondary hidden aria-label="Train again from the start">Train again</vscode-button>
  </div>
  <div class="chart-grid">
    <div class="chart-box tall"><canvas id="train-loss-chart" data-role="train-loss-chart" role="img" aria-label="Loss per step, log scale, one colour per learning rate; the focused one red while unstable, black after K"></canvas></div>
    <div class="chart-box tall"><canvas id="train-sharpness-chart" data-role="train-sharpness-chart" role="img" aria-label="Sharpness every k steps with each learning rate's threshold line"></canvas></div>
    <div class="chart-box tall"><canvas id="train-grad-chart" data-role="train-grad-chart" role="img" aria-label="Gradient norm per step, log scale"></canvas></div>
  </div>
  <p class="help">Click a learning rate (in a legend or the list below) to focus it: its loss is red in the unstable phase (steps before K = the step of the last loss increase) and black after; ▲ marks where the sharpness first reaches the threshold line.</p>
  <ul id="training-runs" class="run-list"></ul>
  <div class="row">
    <vscode-button id="export-train-csv" secondary aria-label="Export the run as CSV">Run CSV</vscode-button>
    <vscode-button id="export-train-json" secondary aria-label="Export the run as JSON">Run JSON</vscode-button>
  </div>
</section>`,
  }],
  mount(ctx) {
    const training = ctx.store.addSlice(trainingSlice);
    const section = ctx.el('training-section');
    const title = ctx.el('network-title');
    const model = ctx.el('network-model');
    const progress = ctx.el<HTMLElement & { value?: number }>('training-progress');
    const status = ctx.el('training-status');
    const stop = ctx.el<ValueElement>('training-stop');
    const again = ctx.el('training-again');
    const runsList = ctx.el('training-runs');
    let focus = -1;
    const charts = new TrainingCharts(
      { loss: ctx.el<HTMLCanvasElement>('train-loss-chart'), sharpness: ctx.el<HTMLCanvasElement>('train-sharpness-chart'), grad: ctx.el<HTMLCanvasElement>('train-grad-chart') },
      (run) => {
        focus = run;
        draw();
      },
    );
    stop.addEventListener('click', () => training.dispatch({ type: 'trainStop' }));
    again.addEventListener('click', () => training.dispatch({ type: 'trainAgain' }));
    ctx.el('export-train-csv').addEventListener('click', () => ctx.post({ type: 'networkExport', format: 'train-csv' }));
    ctx.el('export-train-json').addEventListener('click', () => ctx.post({ type: 'networkExport', format: 'train-json' }));

    const draw = (): void => {
      const { session, job } = training.get();
      if (!session || !job) return;
      if (focus < 0 || focus >= job.runs.length) focus = job.runs.length - 1;
      const name = thresholdName(session.optimizer);
      charts.show({ runs: job.runs, preconditioned: session.preconditioned, focus, steps: session.steps, thresholdName: name, theme: ctx.store.state.theme });
      runsList.replaceChildren(...job.runs.map((r) => {
        const li = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.title = 'Focus this learning rate in the charts';
        button.addEventListener('click', () => {
          focus = r.index;
          draw();
        });
        li.append(button);
        const s = comparedSharpness(r, session.preconditioned);
        button.textContent = runSummary({
          eta: r.eta, threshold: r.threshold, length: r.length, steps: session.steps, K: runK(r), increases: r.end?.increases ?? null,
          status: r.end?.status ?? null, reachedAt: firstAtThreshold(r, session.preconditioned), lastSharpness: s.length > 0 ? s[s.length - 1] : null,
          lossFirst: r.loss[0], lossLast: r.loss[Math.max(0, r.length - 1)],
        }, name);
        if (r.index === focus) li.setAttribute('aria-current', 'true');
        return li;
      }));
    };

    // a network session shows the section; an expression session hides it
    training.watch((st) => st.session, (session) => {
      section.hidden = session === null;
      focus = -1;
      charts.destroy();
      if (!session) return;
      title.textContent = session.title;
      model.textContent = `${session.model.kind} · ${session.learningRates.length} learning rate${session.learningRates.length === 1 ? '' : 's'} (${session.learningRates.map((e) => fmt(e)).join(', ')}) · ${session.steps} steps · ${session.optimizerLabel}`;
    });
    training.watch((st) => st.job, (job) => {
      const session = training.get().session;
      if (!job || !session) return;
      progress.hidden = job.done;
      progress.value = Math.round(job.fraction * 100);
      status.textContent = statusText(session, job);
      stop.hidden = job.done;
      stop.disabled = job.stopping;
      again.hidden = !job.done;
      if (job.description) model.textContent = `${job.description} · ${session.optimizerLabel} · ${session.steps} steps`;
    });
    // charts: new data (throttled to a frame) or a theme switch
    let frame = 0;
    training.watch((st, root) => [st.job?.revision ?? -1, st.job?.requestId ?? -1, root.theme] as const, () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        draw();
      });
    });
  },
};
