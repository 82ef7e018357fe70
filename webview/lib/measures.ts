/**
 * The fractal measures the panel shows beside the legend, as text rows (pure): basin entropy and
 * boundary basin entropy with the ln 2 test, the box-counting dimension (± the fit's standard
 * error) of the stable | unstable and converged | diverged boundaries, and the uncertainty
 * exponent when it has been computed. Computed from the finished map (src/engine/measures).
 */
import { fractalMeasures, type BoxDimension, type FractalMeasures } from '../../src/engine/measures/fractal';
import type { UncertaintyView } from '../../src/shared/measuresMessages';
import type { MapData } from './colors';

export interface MeasureRow {
  label: string;
  value: string;
  /** a longer explanation (title attribute) */
  detail: string;
}

/** The measures of a complete map (pixel size in units of the first axis), null for a partial one. */
export function mapMeasures(map: MapData, minimaCount: number, pixelSize: number): FractalMeasures | null {
  if (map.rowFilled.some((f) => f === 0) || map.width < 5 || map.height < 5) return null;
  return fractalMeasures(map.classes, map.minimum, minimaCount, map.width, map.height, { pixelSize });
}

const g = (v: number | null | undefined, digits = 3): string => (v === null || v === undefined || !Number.isFinite(v) ? '–' : String(Number(v.toPrecision(digits))));

function dimensionRow(d: BoxDimension | undefined, label: string): MeasureRow {
  if (!d) return { label, value: '–', detail: '' };
  if (d.dimension === null) return { label, value: 'none', detail: d.reason ?? '' };
  const range = d.scaleRange ?? [0, 0];
  return {
    label,
    value: `D = ${g(d.dimension)} ± ${g(d.stdErr, 2)}`,
    detail: `box-counting dimension: slope of ln N(s) against ln 1/s over box sides ${range[0]}–${range[1]} pixels (R² = ${g(d.rSquared, 4)}, ${d.boundaryEdges} boundary edges); ± is the fit's standard error`,
  };
}

export function measureRows(m: FractalMeasures, uncertainty: UncertaintyView[] | null): MeasureRow[] {
  const rows: MeasureRow[] = [];
  const e = m.entropy.find((x) => x.partition === 'outcome');
  const a = m.entropy.find((x) => x.partition === 'attractor');
  for (const [x, name] of [[e, 'outcomes'], [a, 'basins']] as const) {
    if (!x) continue;
    const verdict = x.Sbb === null ? 'no boundary' : x.fractalByLn2 ? '> ln 2 ⇒ fractal' : '≤ ln 2: not decided';
    rows.push({
      label: `S_b, S_bb (${name})`,
      value: `${g(x.Sb)}, ${x.Sbb === null ? '–' : g(x.Sbb)} (${verdict})`,
      detail: `basin entropy S_b and boundary basin entropy S_bb over boxes of ${x.boxSide}×${x.boxSide} pixels (${x.boundaryBoxes} of ${x.boxes} boxes hold two or more labels); S_bb > ln 2 ≈ 0.693 proves a fractal boundary, a smaller value proves nothing`,
    });
  }
  rows.push(dimensionRow(m.dimensions.find((d) => d.boundary === 'stable|unstable'), 'stable | unstable boundary'));
  rows.push(dimensionRow(m.dimensions.find((d) => d.boundary === 'converged|diverged'), 'converged | diverged boundary'));
  for (const u of uncertainty ?? []) {
    const name = u.partition === 'attractor' ? 'basins' : 'outcomes';
    rows.push(u.alpha === null
      ? { label: `uncertainty exponent (${name})`, value: 'none', detail: u.reason ?? '' }
      : { label: `uncertainty exponent (${name})`, value: `α = ${g(u.alpha)} ± ${g(u.stdErr, 2)} → D = ${g(u.dimension)}`, detail: `f(ε) ∝ ε^α over ε = ${g(u.epsilonRange?.[0])} … ${g(u.epsilonRange?.[1])}; D = 2 − α (1 for a smooth boundary)` });
  }
  return rows;
}
