/**
 * User text inside messages: every message the CLI prints or the editor shows is one line, with
 * no character that a terminal or an editor would act on (ESC sequences, NUL, bidi overrides,
 * zero-width characters, line breaks), and echoed user text is capped. Linear time, no
 * backtracking. Pure: no vscode, no I/O.
 */

/** How much of a user's text a message echoes (characters after escaping). */
export const ECHO_LIMIT = 120;

/**
 * Characters escaped as \uXXXX (or \n, \r, \t): C0 and C1 controls and DEL; zero-width and
 * invisible formatting characters; bidi embeddings, overrides and isolates; line and paragraph
 * separators; the byte-order mark; lone surrogates.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Escapes every unsafe character (ESC → \u001b, newline → \n): the result is one safe line. */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * User text as a message quotes it: escaped, and cut to `max` characters with a note of the full
 * length (an escape sequence is never cut in half).
 */
export function echo(text: string, max = ECHO_LIMIT): string {
  // escape only what can be shown: a 1 MB argument is never copied whole
  const head = text.length > max * 2 ? text.slice(0, max * 2) : text;
  const escaped = escapeControl(head);
  if (escaped.length <= max && head.length === text.length) return escaped;
  let cut = Math.min(max, escaped.length);
  const lastSlash = escaped.lastIndexOf('\\', cut - 1);
  if (lastSlash >= 0 && lastSlash > cut - 6) cut = lastSlash; // do not split \u001b
  // do not split a surrogate pair
  const code = escaped.charCodeAt(cut - 1);
  if (code >= 0xd800 && code < 0xdc00) cut -= 1;
  return `${escaped.slice(0, cut)}… (${text.length} characters)`;
}

/**
 * A whole message made safe for one line: user text in it is escaped; a very long message is
 * cut (a message is read by a person; 2,000 characters is more than any the project writes).
 */
export function oneLine(message: string, max = 2000): string {
  return echo(message, max);
}
