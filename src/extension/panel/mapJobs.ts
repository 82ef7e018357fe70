/**
 * The panel's map jobs (used by panel.ts; no vscode): basin maps (the main map and Figure 2's
 * strip), trajectories and LR sweeps, each run on the compute pool as a cancellable job on its
 * channel and streamed to the webview; and their last results, which the exports write (the main
 * map's classes, recent trajectories, the last sweep) and which trajectories index minima by (the
 * last main map's spec).
 */
import { CancelledError } from '../../compute/pool';
import type { BasinProgress } from '../../compute/pool';
import type { TrajectoryData } from '../../compute/jobs';
import type { ProblemSpec } from '../../engine/types';
import { windowSpec } from '../../engine/window';
import type { AnalysisSession } from '../../shared/session';
import { toTrajectoryView } from '../../shared/exports';
import { bytesToBase64, float32ToBase64, uint32ToBase64 } from '../../shared/base64';
import type { StatsView, SweepPointView, TrajectoryView, WebviewToHost } from '../../shared/protocol';
import type { PanelJobs } from './measuresHost';
import { analysisView, sliceFor } from './slice';
import { increasesField, jobOptimizer, optimizerField, panelSweepEtas } from './optimizerJobs';

/** Steps kept after a trajectory's classification is final, so the curves show the tail. */
const TRAJECTORY_TAIL_STEPS = 30;

/** A trajectory from the pool (typed arrays) as the plain arrays the webview gets (the engine's steps and K). */
export function trajectoryView(data: TrajectoryData, eta: number, init: number[]): TrajectoryView {
  return toTrajectoryView(data, eta, init);
}

/** The main map's classes as last computed (for the .npy export). */
export interface MainMap {
  width: number;
  height: number;
  classes: Uint8Array;
  rowsDone: number;
  eta: number;
}

/** What the map jobs need of the panel besides what the measures do. */
export interface MapJobsHost extends PanelJobs {
  /** the expression session shown (throws while the panel shows none) */
  expression(): AnalysisSession;
  /** the session's problem with its parsed objective (ProblemSpec.ir), as the pool needs it */
  problem(): Promise<ProblemSpec>;
}

/** The last results of the map jobs, which the exports write. */
export interface MapResults {
  readonly mainMap: MainMap | null;
  readonly lastTrajectory: TrajectoryView | null;
  readonly lastSweep: SweepPointView[] | null;
}

export class MapJobs implements MapResults {
  mainMap: MainMap | null = null;
  /**
   * the spec of the last main map: the session's problem, plus the map window when it reaches
   * beyond the domain (windowSpec), so trajectories index the same minima as the map
   */
  private mapSpec: ProblemSpec | null = null;
  lastTrajectory: TrajectoryView | null = null;
  /** recent trajectories by request id, so the export takes the one the charts show */
  private readonly trajectories = new Map<number, TrajectoryView>();
  lastSweep: SweepPointView[] | null = null;

  constructor(private readonly panel: MapJobsHost) {}

  /** A new session (or a network) is shown: trajectories no longer index the last map's minima. */
  forgetMapSpec(): void {
    this.mapSpec = null;
  }

  /** A recent trajectory by the id of its request (undefined when it is no longer kept). */
  trajectory(requestId: number): TrajectoryView | undefined {
    return this.trajectories.get(requestId);
  }

  async runBasin(m: Extract<WebviewToHost, { type: 'basin' }>): Promise<void> {
    const channel = m.purpose === 'main' ? 'main' : `strip:${m.stripIndex}`;
    const controller = this.panel.startJob(channel, m.requestId);
    try {
      const session = this.panel.expression();
      const analysis = await this.panel.analysis();
      const problem = await this.panel.problem();
      if (controller.signal.aborted) throw new CancelledError();
      const slice = sliceFor(analysis, m.xRange, m.yRange, m.grid);
      // a window that reaches beyond the domain is searched for minima too (its analysis may list more)
      const spec = windowSpec(problem, analysis.domain, slice);
      this.panel.post({ type: 'basinStart', requestId: m.requestId, purpose: m.purpose, stripIndex: m.stripIndex, slice, eta: m.eta });
      const map: MainMap | null = m.purpose === 'main'
        ? { width: slice.width, height: slice.height, classes: new Uint8Array(slice.width * slice.height), rowsDone: 0, eta: m.eta }
        : null;
      const result = await this.panel.pool().basin(
        { spec, slice, eta: m.eta, classify: this.panel.classify(), ...optimizerField(jobOptimizer(m.optimizer, session)) },
        (rows, progress: BasinProgress) => {
          if (controller.signal.aborted) return;
          if (map) {
            map.classes.set(rows.classes, rows.rowStart * rows.width);
            map.rowsDone += rows.rowEnd - rows.rowStart;
          }
          this.panel.post({
            type: 'basinRows', requestId: m.requestId, rowStart: rows.rowStart, rowEnd: rows.rowEnd, width: rows.width,
            classes: bytesToBase64(rows.classes), minimum: bytesToBase64(rows.minimum),
            steps: uint32ToBase64(rows.steps), unstableSteps: uint32ToBase64(rows.unstableSteps),
            limitSharpness: float32ToBase64(rows.limitSharpness), period: bytesToBase64(rows.period),
            ...increasesField(rows),
            progress: { ...progress },
          });
        },
        controller.signal,
      );
      if (controller.signal.aborted) throw new CancelledError();
      if (map) {
        this.mainMap = map;
        this.mapSpec = spec;
        // the minima this map's indices refer to, when the window added some
        if (spec !== problem) this.panel.post({ type: 'analysis', analysis: analysisView(result.analysis, session) });
      }
      const stats: StatsView = result.stats;
      const optimizer = result.analysis.optimizer;
      this.panel.post({ type: 'basinDone', requestId: m.requestId, stats, certificates: result.certificates, elapsedMs: result.elapsedMs, ...(optimizer ? { optimizer } : {}) });
    } catch (err) {
      this.panel.reportFailure(m.requestId, err, m.purpose === 'main' ? 'Basin map failed' : `Figure 2 map ${m.stripIndex + 1} failed`);
    } finally {
      this.panel.endJob(channel, controller);
    }
  }

  async runTrajectory(m: Extract<WebviewToHost, { type: 'trajectory' }>): Promise<void> {
    const channel = `trajectory:${m.requestId}`;
    const controller = this.panel.startJob(channel, m.requestId);
    try {
      const analysis = await this.panel.analysis();
      if (m.init.length !== analysis.variables.length) {
        throw new Error(`the start point has ${m.init.length} coordinates, the objective has ${analysis.variables.length} variables (${analysis.variables.join(', ')})`);
      }
      const problem = await this.panel.problem();
      const data = await this.panel.pool().trajectory(
        {
          spec: this.mapSpec ?? problem, eta: m.eta, init: m.init, classify: this.panel.classify(), tailSteps: TRAJECTORY_TAIL_STEPS,
          ...optimizerField(jobOptimizer(m.optimizer, this.panel.expression())),
        },
        controller.signal,
      );
      const trajectory = trajectoryView(data, m.eta, m.init);
      this.lastTrajectory = trajectory;
      this.trajectories.set(m.requestId, trajectory);
      if (this.trajectories.size > 32) this.trajectories.delete(this.trajectories.keys().next().value as number);
      this.panel.post({ type: 'trajectory', requestId: m.requestId, trajectory });
    } catch (err) {
      this.panel.reportFailure(m.requestId, err, `Trajectory from (${m.init.map((v) => Number(v.toPrecision(4))).join(', ')})`);
    } finally {
      this.panel.endJob(channel, controller);
    }
  }

  async runSweep(m: Extract<WebviewToHost, { type: 'sweep' }>): Promise<void> {
    const controller = this.panel.startJob('sweep', m.requestId);
    try {
      const analysis = await this.panel.analysis();
      const problem = await this.panel.problem();
      const optimizer = jobOptimizer(m.optimizer, this.panel.expression());
      const etas = panelSweepEtas(analysis.minima, optimizer);
      const slice = sliceFor(analysis, m.xRange, m.yRange, m.grid);
      const points = await this.panel.pool().sweep(
        { spec: windowSpec(problem, analysis.domain, slice), slice, etas, classify: this.panel.classify(), ...optimizerField(optimizer) },
        (point, done, total) => {
          if (!controller.signal.aborted) this.panel.post({ type: 'sweepPoint', requestId: m.requestId, point, done, total });
        },
        controller.signal,
      );
      this.lastSweep = points;
      this.panel.post({ type: 'sweepDone', requestId: m.requestId, points });
    } catch (err) {
      this.panel.reportFailure(m.requestId, err, 'Learning-rate sweep failed');
    } finally {
      this.panel.endJob('sweep', controller);
    }
  }
}
