/**
 * Webview entry (dist/webview.js): the GD Stability Lab panel. Builds the layout's markup, creates
 * the store, mounts the parts, and connects the store to the host: host messages become actions,
 * new jobs in the state become requests, and { session, view } is persisted for the serializer.
 * The panel talks to the host only through the validated messages of src/shared/protocol.ts.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import css from './styles.css';
import { PROTOCOL_VERSION } from '../src/shared/protocol';
import type { HostToWebview } from '../src/shared/protocol';
import { byId, readTheme } from './core/dom';
import { HostBridge } from './core/host';
import type { PartContext, Services } from './core/part';
import { assemble } from './core/slots';
import { Store } from './core/store';
import { PARTS, SKELETON } from './layout';
import { initialState, reduce } from './state/reducer';
import { requestsBetween } from './state/requests';
import { viewState } from './state/selectors';

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const sheet = new CSSStyleSheet();
sheet.replaceSync(css);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
const app = document.getElementById('app') ?? document.body;
app.innerHTML = assemble(SKELETON, PARTS);

const host = new HostBridge();
let reporting = false;
const store: Store = new Store(initialState(readTheme(), host.restored()), {
  reducer: reduce,
  requests: requestsBetween,
  send: (m) => host.post(m),
  onListenerError: (err) => {
    console.error('GD Stability Lab:', err);
    if (reporting) return;
    reporting = true;
    try {
      store.dispatch({ type: 'errorShown', message: `The panel failed to show a result: ${errorText(err)}` });
    } finally {
      reporting = false;
    }
  },
});

const hostListeners: ((m: HostToWebview) => void)[] = [];
const services: Partial<Services> = {};
const ctx: PartContext = {
  store,
  dispatch: (action) => store.dispatch(action),
  watch: (select, listener, equals) => store.watch(select, listener, equals),
  post: (m) => host.post(m),
  onHostMessage: (listener) => hostListeners.push(listener),
  el: byId,
  provide: (key, service) => {
    services[key] = service;
  },
  use: (key) => {
    const service = services[key];
    if (!service) throw new Error(`no part of the layout provides "${key}"`);
    return service;
  },
};
for (const part of PARTS) {
  try {
    part.mount(ctx);
  } catch (err) {
    store.dispatch({ type: 'errorShown', message: `The panel's ${part.name} failed to start: ${errorText(err)}` });
  }
}

// network mode hides the expression views (styles.css: body[data-mode="network"] .expr-only)
store.watch((s) => s.mode, (mode) => {
  document.body.dataset.mode = mode;
});

// { session, view } for the serializer, whenever the session, η or zoom window changes
store.watch((s) => [s.session, s.eta, s.zoom.window] as const, () => {
  const s = store.state;
  if (s.session) host.persist({ session: s.session, view: viewState(s) });
});

host.listen((message) => {
  try {
    store.dispatch({ type: 'host', message });
    for (const l of hostListeners) l(message);
  } catch (err) {
    store.dispatch({ type: 'errorShown', message: `The panel failed to show a result: ${errorText(err)}` });
  }
});

// theme switches: VS Code changes the body class and the --vscode-* variables
new MutationObserver(() => store.dispatch({ type: 'themeChanged', theme: readTheme() }))
  .observe(document.body, { attributes: true, attributeFilter: ['class'] });

host.post({ type: 'ready', protocol: PROTOCOL_VERSION });
