/** Ranges of issues in a document. Pure, no imports (the extension bundle uses it at activation). */
import type { SourceRange } from '../engine/types';

/** A range inside a document of `length` characters: 0 ≤ start ≤ end ≤ length, one character when possible. */
export function clampRange(r: SourceRange, length: number): SourceRange {
  const start = Math.max(0, Math.min(Number.isFinite(r.start) ? r.start : 0, length));
  const end = Math.max(start, Math.min(Number.isFinite(r.end) ? r.end : start, length));
  if (end === start && length > 0) {
    if (start < length) return { start, end: start + 1 };
    return { start: length - 1, end: length };
  }
  return { start, end };
}
