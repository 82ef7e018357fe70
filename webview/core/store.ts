/**
 * The panel's one state store (pure TypeScript, no DOM: unit-tested in plain Node).
 *
 * - dispatch(action): the core reducer (state/reducer.ts) makes the next PanelState, then every
 *   view slice reduces the same action; the requests the change implies are sent to the host.
 * - watch(selector, listener): the listener runs now and again whenever what the selector picks
 *   changes (shallow comparison), so a part re-renders only for its own slice of the state.
 * - addSlice(def): a view that brings state of its own (a new chart, a new job kind) registers a
 *   slice: its reducer sees every panel action and the core state, can take request ids from the
 *   same counter, has actions of its own, and says which host requests its changes imply.
 */
import type { WebviewToHost } from '../../src/shared/protocol';
import type { Action } from '../state/actions';
import type { PanelState } from '../state/types';

export interface SliceEnv {
  /** the panel state after the core reducer ran on this action */
  root: PanelState;
  /** the panel state before this action */
  prev: PanelState;
  /** a new request id from the panel's counter (never collides with the core's jobs) */
  requestId(): number;
}

export interface SliceDef<S, A extends { type: string } = never> {
  /** unique name (error messages, debugging) */
  key: string;
  initial: S;
  /** runs on every panel action, host messages included, after the core reducer */
  reduce(state: S, action: Action, env: SliceEnv): S;
  /** the slice's own actions, dispatched through its handle */
  update?(state: S, action: A, env: SliceEnv): S;
  /** host requests implied by a change of the slice (each new job once) */
  requests?(prev: S, next: S, root: PanelState): WebviewToHost[];
}

export interface SliceHandle<S, A extends { type: string }> {
  get(): S;
  dispatch(action: A): void;
  watch<T>(select: (slice: S, root: PanelState) => T, listener: (value: T, prev: T | undefined) => void, equals?: Equality<T>): () => void;
}

export type Equality<T> = (a: T, b: T) => boolean;

/** Object.is, and for two arrays or two plain objects: the same entries by Object.is. */
export function shallowEqual<T>(a: T, b: T): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && Object.is(ra[k], rb[k]));
}

interface SliceRecord {
  key: string;
  reduce(action: Action, env: SliceEnv): void;
  /** requests since the last call */
  takeRequests(root: PanelState): WebviewToHost[];
}

export interface StoreOptions {
  reducer: (state: PanelState, action: Action) => PanelState;
  /** host requests implied by a change of the core state (state/requests.ts) */
  requests: (prev: PanelState, next: PanelState) => WebviewToHost[];
  send: (message: WebviewToHost) => void;
  /** a listener threw (the panel shows it; the other listeners still run) */
  onListenerError: (err: unknown) => void;
}

export class Store {
  private current: PanelState;
  private readonly slices: SliceRecord[] = [];
  private readonly watchers: (() => void)[] = [];

  constructor(initial: PanelState, private readonly options: StoreOptions) {
    this.current = initial;
  }

  get state(): PanelState {
    return this.current;
  }

  dispatch(action: Action): void {
    this.run((prev, env, ids) => {
      const next = this.options.reducer(prev, action);
      // slices take ids after the ones the core reducer took
      ids.next = next.nextRequestId;
      env.root = next;
      for (const s of this.slices) s.reduce(action, env);
      return next;
    });
  }

  watch<T>(select: (state: PanelState) => T, listener: (value: T, prev: T | undefined) => void, equals: Equality<T> = shallowEqual): () => void {
    let last = select(this.current);
    const check = (): void => {
      const value = select(this.current);
      if (equals(value, last)) return;
      const prev = last;
      last = value;
      listener(value, prev);
    };
    this.watchers.push(check);
    this.guard(() => listener(last, undefined));
    return () => {
      const i = this.watchers.indexOf(check);
      if (i >= 0) this.watchers.splice(i, 1);
    };
  }

  addSlice<S, A extends { type: string } = never>(def: SliceDef<S, A>): SliceHandle<S, A> {
    if (this.slices.some((s) => s.key === def.key)) throw new Error(`two view slices are called "${def.key}"`);
    let state = def.initial;
    let sent = state;
    this.slices.push({
      key: def.key,
      reduce: (action, env) => {
        state = def.reduce(state, action, env);
      },
      takeRequests: (root) => {
        const out = def.requests && state !== sent ? def.requests(sent, state, root) : [];
        sent = state;
        return out;
      },
    });
    return {
      get: () => state,
      dispatch: (action) => this.run((prev, env) => {
        if (def.update) state = def.update(state, action, env);
        return prev;
      }),
      watch: (select, listener, equals) => this.watch((root) => select(state, root), listener, equals),
    };
  }

  /** One state transition: reduce, write back used request ids, send requests, notify watchers. */
  private run(step: (prev: PanelState, env: SliceEnv, ids: { next: number }) => PanelState): void {
    const prev = this.current;
    const ids = { next: prev.nextRequestId };
    const env: SliceEnv = { root: prev, prev, requestId: () => ids.next++ };
    let next = step(prev, env, ids);
    if (ids.next !== next.nextRequestId) next = { ...next, nextRequestId: ids.next };
    this.current = next;
    const out = this.options.requests(prev, next);
    for (const s of this.slices) out.push(...s.takeRequests(next));
    for (const m of out) this.options.send(m);
    for (const w of [...this.watchers]) this.guard(w);
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.options.onListenerError(err);
    }
  }
}
