/**
 * The webview's side of the channel to the extension host: the VS Code API (acquired once),
 * typed posting, validated receiving, and the state the serializer restores a panel from.
 */
import { validateHostMessage, validatePersistedState } from '../../src/shared/protocolValidation';
import type { HostToWebview, PersistedState, WebviewToHost } from '../../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export class HostBridge {
  private readonly api: VsCodeApi = acquireVsCodeApi();

  post(message: WebviewToHost): void {
    this.api.postMessage(message);
  }

  /** What the panel persisted last (validated), or null. */
  restored(): PersistedState | null {
    try {
      return validatePersistedState(this.api.getState());
    } catch {
      return null;
    }
  }

  /** Persists { session, view } for the serializer and tells the host the view. */
  persist(state: PersistedState): void {
    this.api.setState(state);
    this.post({ type: 'viewState', view: state.view });
  }

  /** Calls `handle` with every well-formed host message; malformed ones are logged and dropped. */
  listen(handle: (message: HostToWebview) => void): void {
    window.addEventListener('message', (event: MessageEvent) => {
      let msg: HostToWebview;
      try {
        msg = validateHostMessage(event.data);
      } catch (err) {
        console.warn('GD Stability Lab: ignored a malformed message:', err instanceof Error ? err.message : err);
        return;
      }
      handle(msg);
    });
  }
}
