/**
 * What to ask the host after a state change (pure): every job that appeared in the state — a new
 * main map, trajectory or sweep id — becomes one request. The reducers decide; this only reads
 * the difference, so a request is sent exactly once per id.
 */
import type { WebviewToHost } from '../../src/shared/protocol';
import type { PanelState } from './types';

export function requestsBetween(prev: PanelState, next: PanelState): WebviewToHost[] {
  const out: WebviewToHost[] = [];
  const m = next.main;
  if (m && m.requestId !== prev.main?.requestId) {
    out.push({ type: 'basin', requestId: m.requestId, purpose: 'main', stripIndex: 0, eta: m.eta, xRange: m.window.xRange, yRange: m.window.yRange, grid: m.grid, optimizer: m.optimizer });
  }
  if (next.trajectories.entries !== prev.trajectories.entries) {
    const known = new Set(prev.trajectories.entries.map((t) => t.requestId));
    for (const t of next.trajectories.entries) {
      if (!known.has(t.requestId)) out.push({ type: 'trajectory', requestId: t.requestId, eta: t.eta, init: t.init, optimizer: next.optimizer });
    }
  }
  const sw = next.sweep;
  if (sw && sw.requestId !== prev.sweep?.requestId) {
    out.push({ type: 'sweep', requestId: sw.requestId, xRange: sw.window.xRange, yRange: sw.window.yRange, grid: sw.grid, optimizer: next.optimizer });
  }
  // a sweep dropped while running (the optimizer changed): the host stops it
  const old = prev.sweep;
  if (old && !old.done && !old.cancelled && sw === null && next.session === prev.session) out.push({ type: 'cancel', requestId: old.requestId });
  return out;
}
