/**
 * The analysis of the panel's expression session (used by panel.ts; no vscode): the session's
 * problem with its parsed objective, analysed on the compute pool once per problem (critical
 * points, minima, η_max) and sent to the webview together with the objective's IR for contour
 * lines. The panel's jobs await it.
 */
import type { ComputePool } from '../../compute/pool';
import type { ProblemSpec } from '../../engine/types';
import type { AnalysisView, HostToWebview } from '../../shared/protocol';
import type { AnalysisSession } from '../../shared/session';
import { loadTextModules } from '../configService';
import { analysisView, sessionWithIR } from './slice';

/** What the analysis needs of the panel. */
export interface AnalysisHost {
  pool(): ComputePool;
  /** the expression session shown (null while the panel shows a network only) */
  session(): AnalysisSession | null;
  post(message: HostToWebview): void;
}

interface Entry {
  key: string;
  promise: Promise<AnalysisView>;
  problem: Promise<ProblemSpec>;
  resolved: ProblemSpec | null;
}

export class SessionAnalysis {
  /** the analysis of the session's problem, and that problem with its parsed objective (what the pool runs) */
  private entry: Entry | null = null;
  /** the analysed objective's variables (the trajectory exports' columns) */
  variables: string[] = [];

  constructor(private readonly panel: AnalysisHost) {}

  /** Whether an analysis has been started since the last clear(). */
  get started(): boolean {
    return this.entry !== null;
  }

  /** The problem with its parsed objective, once parsed (null before). */
  get resolved(): ProblemSpec | null {
    return this.entry?.resolved ?? null;
  }

  /** Forgets the analysis (the panel shows a network). */
  clear(): void {
    this.entry = null;
  }

  /** Analyses the session's problem once (cached per problem) and sends it to the webview. */
  start(): void {
    const session = this.panel.session();
    if (!session) return;
    const key = JSON.stringify([session.problem, session.axes ?? null, session.fixed ?? null]);
    if (!this.entry || this.entry.key !== key) {
      const problem = problemWithIR(session);
      const promise = problem.then((p) => this.panel.pool().analyze(p, [])).then((result) => {
        this.variables = result.variables;
        return analysisView(result, session);
      });
      const entry: Entry = { key, promise, problem, resolved: null };
      this.entry = entry;
      problem.then((p) => { entry.resolved = p; }, () => undefined);
      promise.catch(() => undefined);
    }
    const current = this.entry;
    current.promise.then(
      (analysis) => {
        if (this.entry !== current) return;
        this.panel.post({ type: 'analysis', analysis });
        void this.sendObjective(session);
      },
      (err: unknown) => {
        if (this.entry === current) this.panel.post({ type: 'error', requestId: null, message: `Could not analyse ${session.title}: ${errorMessage(err)}` });
      },
    );
  }

  /** Sends the analysis made (and the objective) again once it is there: the webview reloaded. */
  resend(session: AnalysisSession): void {
    void this.entry?.promise.then((a) => {
      this.panel.post({ type: 'analysis', analysis: a });
      void this.sendObjective(session);
    }, () => undefined);
  }

  /** The analysis (started when there is none). */
  promise(): Promise<AnalysisView> {
    if (!this.entry) this.start();
    return (this.entry as { promise: Promise<AnalysisView> }).promise;
  }

  /** The session's problem with its parsed objective (ProblemSpec.ir), as the pool needs it. */
  problem(): Promise<ProblemSpec> {
    if (!this.entry) this.start();
    return (this.entry as { problem: Promise<ProblemSpec> }).problem;
  }

  /**
   * Sends the objective's IR for contour lines and the certified set {f < c}: parsed on the host
   * with the lazily loaded text bundle (the worker has the compiled problem, not the IR). Optional:
   * on failure the panel simply has no contour layer.
   */
  private async sendObjective(session: AnalysisSession): Promise<void> {
    try {
      const text = await loadTextModules();
      const { variables, expression } = session.problem;
      const parsed = text.expression.parseExpression(expression, variables ? { variables } : {});
      if (this.panel.session() !== session) return;
      this.panel.post({ type: 'objective', variables: parsed.variables.slice(), expr: parsed.expr });
    } catch (err) {
      console.warn(`GD Stability Lab: no contour lines for ${session.title}: ${errorMessage(err)}`);
    }
  }
}

/** The message of a thrown value. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The session's problem with its parsed objective (ProblemSpec.ir), which the compute pool
 * requires. A panel restored from state saved before sessions carried it (or any session without
 * it) is parsed again here, on the host, with the lazily loaded text bundle; a bad expression
 * rejects with the parser's message, which the panel shows.
 */
async function problemWithIR(session: AnalysisSession): Promise<ProblemSpec> {
  if (session.problem.ir) return session.problem;
  return sessionWithIR(session, await loadTextModules()).problem;
}
