/** Number formatting shared by the panel's parts (pure; no DOM). */

/** Up to `digits` significant digits; exponent form below 1e-3 and from 1e5. */
export function fmt(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
  return String(Number(v.toPrecision(digits)));
}

/** A fraction as a percentage: one decimal, three for tiny non-zero shares. */
export function pct(f: number): string {
  return `${(100 * f).toFixed(f > 0 && f < 0.001 ? 3 : 1)}%`;
}
