/**
 * A part of the panel: the markup it adds to the layout's slots and a mount function that wires
 * that markup to the store. A part owns its DOM (it alone writes the elements of its fragments)
 * and reads the state only through watch(), so it re-renders only when its slice changes.
 */
import type { HostToWebview, TrajectoryView, WebviewToHost } from '../../src/shared/protocol';
import type { Action } from '../state/actions';
import type { Fragment } from './slots';
import type { Store } from './store';

/** Capabilities one part offers others (looked up when used, so layout order does not matter). */
export interface Services {
  /** PNG (base64, no data: prefix) of the basin map as shown, axes and overlays included */
  mapPng: () => string;
  /** draws (or, with null, removes) a second trajectory on the basin map: dashed, square start */
  mapComparison: (trajectory: TrajectoryView | null) => void;
}

export interface PartContext {
  store: Store;
  dispatch(action: Action): void;
  watch: Store['watch'];
  post(message: WebviewToHost): void;
  /** host messages that ask for something done rather than stored (e.g. a PNG capture) */
  onHostMessage(listener: (message: HostToWebview) => void): void;
  /** an element of the panel by id (throws when the markup lacks it) */
  el<T extends HTMLElement = HTMLElement>(id: string): T;
  provide<K extends keyof Services>(key: K, service: Services[K]): void;
  use<K extends keyof Services>(key: K): Services[K];
}

export interface Part {
  name: string;
  fragments: Fragment[];
  mount(ctx: PartContext): void;
}
