/**
 * Pure η-control helpers (no DOM): the slider works in η/η_max from SLIDER_MIN_FRACTION to
 * SLIDER_MAX_FRACTION (so η_max and the paper's fractions sit at fixed places), the number field
 * in η itself.
 */

export const SLIDER_STEPS = 1000;
export const SLIDER_MIN_FRACTION = 0.01;
export const SLIDER_MAX_FRACTION = 1.2;

/** Slider position (0..SLIDER_STEPS) → η. */
export function etaFromSlider(position: number, etaMax: number): number {
  const t = Math.min(1, Math.max(0, position / SLIDER_STEPS));
  return (SLIDER_MIN_FRACTION + (SLIDER_MAX_FRACTION - SLIDER_MIN_FRACTION) * t) * etaMax;
}

/** η → nearest slider position (clamped to the slider's range). */
export function etaToSlider(eta: number, etaMax: number): number {
  if (!(etaMax > 0)) return 0;
  const t = (eta / etaMax - SLIDER_MIN_FRACTION) / (SLIDER_MAX_FRACTION - SLIDER_MIN_FRACTION);
  return Math.round(Math.min(1, Math.max(0, t)) * SLIDER_STEPS);
}

/** η as typed in the number field: up to 6 significant digits. */
export function formatEta(eta: number): string {
  return String(Number(eta.toPrecision(6)));
}

/** Parses the number field: the η, or a message saying what is wrong. */
export function parseEta(text: string): number | string {
  const t = text.trim();
  if (t === '') return 'enter a number';
  const v = Number(t);
  if (!Number.isFinite(v)) return `"${t}" is not a number`;
  if (v <= 0) return `η must be positive, got ${t}`;
  return v;
}

/**
 * Without a static η_max (Adam and RMSProp, whose threshold bounds the preconditioned sharpness
 * along a trajectory; or no strict minimum) the slider is absolute: log-spaced from
 * ABSOLUTE_MIN_ETA to ABSOLUTE_MAX_ETA.
 */
export const ABSOLUTE_MIN_ETA = 1e-4;
export const ABSOLUTE_MAX_ETA = 10;

/** The chips of the absolute slider. */
export const ABSOLUTE_ETA_CHIPS: readonly number[] = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3];

/** Absolute slider position (0..SLIDER_STEPS) → η, log scale. */
export function etaFromAbsoluteSlider(position: number): number {
  const t = Math.min(1, Math.max(0, position / SLIDER_STEPS));
  return Number((ABSOLUTE_MIN_ETA * (ABSOLUTE_MAX_ETA / ABSOLUTE_MIN_ETA) ** t).toPrecision(3));
}

/** η → nearest absolute slider position (clamped). */
export function etaToAbsoluteSlider(eta: number): number {
  if (!(eta > 0)) return 0;
  const t = Math.log(eta / ABSOLUTE_MIN_ETA) / Math.log(ABSOLUTE_MAX_ETA / ABSOLUTE_MIN_ETA);
  return Math.round(Math.min(1, Math.max(0, t)) * SLIDER_STEPS);
}
