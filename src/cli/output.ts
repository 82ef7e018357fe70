/**
 * Output files of the `gdlab` commands: the --out path is checked before any computation (a
 * folder in place of the file, a file in place of a folder, no write permission → a usage error
 * naming the user's path; missing folders are created when the file is written), and every file
 * is written atomically by one helper: a temp file beside the target, then a rename; on any
 * failure the temp file is removed, so neither a half-written file nor a `*.tmp-*` file is left.
 */
import { accessSync, constants, mkdirSync, renameSync, statSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { echo } from '../config/userText';
import { UsageError } from './args';

/** A failed write (after the computation): exit code 1, the user's path in the message. */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

/** A node fs error in words, without the paths it names (the caller names the user's path). */
export function fsReason(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or folder';
    case 'EISDIR': return 'it is a folder';
    case 'ENOTDIR': return 'a part of the path is not a folder';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EROFS': return 'the file system is read-only';
    case 'ENOSPC': return 'no space left on the device';
    case 'EDQUOT': return 'disk quota exceeded';
    case 'ENAMETOOLONG': return 'the name is too long';
    case 'EEXIST': return 'a file of that name exists';
    case 'EMFILE':
    case 'ENFILE': return 'too many open files';
    default: return typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/**
 * Throws a UsageError unless a file can be written at `path` (checked before any computation):
 * `path` is not a folder, and its folder either exists and is writable or can be created (the
 * nearest existing ancestor is a writable folder).
 */
export function checkOutputPath(path: string, option = '--out'): void {
  const shown = `${option} '${echo(path)}'`;
  if (path.trim() === '') throw new UsageError(`${option} needs a file name`);
  if (path.includes('\0')) throw new UsageError(`${shown}: a file name cannot contain a NUL character`);
  const target = statOrNull(path);
  if (target?.isDirectory()) throw new UsageError(`${shown} is a folder; give a file name inside it, e.g. ${option} ${join(path, 'result' + extensionOf(path))}`);
  // the nearest existing ancestor: missing folders below it are created on writing
  let dir = dirname(path);
  let folder = statOrNull(dir);
  while (!folder && dirname(dir) !== dir) {
    dir = dirname(dir);
    folder = statOrNull(dir);
  }
  if (!folder) throw new UsageError(`${shown}: no folder of it exists`);
  if (!folder.isDirectory()) throw new UsageError(`${shown}: '${echo(dir)}' is not a folder`);
  try {
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new UsageError(`${shown}: cannot write into the folder '${echo(dir)}' (${fsReason(err)})`);
  }
}

function extensionOf(path: string): string {
  const name = basename(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot) : '';
}

let counter = 0;

/**
 * Writes a file atomically: to a temp file in the same folder (created if missing), then rename
 * over `path`. On any failure the temp file is removed and an OutputError names `path` (never the
 * temp file).
 */
export function writeAtomic(path: string, data: Uint8Array | string): void {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${++counter}`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, data, { flag: 'wx' });
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already renamed
    }
    throw new OutputError(`cannot write '${echo(path)}': ${fsReason(err)}`);
  }
}
