/** Small DOM helpers shared by the parts. */
import { themeFromVariables } from '../lib/theme';
import type { ThemeColors } from '../lib/theme';

/** An element by id; throws naming the id when the markup lacks it. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`panel markup lacks #${id}`);
  return el as T;
}

/** A vscode-elements control seen through the properties the panel uses. */
export interface ValueElement extends HTMLElement {
  value: string;
  checked: boolean;
  disabled: boolean;
  invalid: boolean;
}

/** The theme's colours, read from the --vscode-* variables on <body>. */
export function readTheme(): ThemeColors {
  const style = getComputedStyle(document.body);
  return themeFromVariables((name) => style.getPropertyValue(name));
}

/** A <li> with text. */
export function listItem(text: string, className?: string): HTMLLIElement {
  const li = document.createElement('li');
  if (className) li.className = className;
  li.textContent = text;
  return li;
}
