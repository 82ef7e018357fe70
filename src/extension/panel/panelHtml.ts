/**
 * The panel's webview page (used by panel.ts): the webview options (scripts on, context kept when
 * hidden, resources only from dist/) and the HTML that loads dist/webview.js under a strict CSP
 * with a fresh nonce.
 */
import * as vscode from 'vscode';

function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 32; i++) out += chars.charAt(Math.floor(Math.random() * chars.length));
  return out;
}

export function panelWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
  };
}

export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const scriptUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const n = nonce();
  // Styles: the bundle adopts constructed stylesheets (its own and the components'), which CSP
  // does not treat as inline <style>, so style-src needs no 'unsafe-inline'.
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${n}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>GD Stability Lab</title>
</head>
<body>
<main id="app" aria-label="GD Stability Lab panel"><p id="boot-message">Loading GD Stability Lab…</p></main>
<script nonce="${n}" src="${scriptUri.toString()}"></script>
</body>
</html>`;
}
