/**
 * The paper's numerical examples (Chen, Peng, Li, Zhao, AAAI 2024, Figures 2 and 3) as data.
 * Used by `gdlab reproduce`, *Open Paper Example…* and the tests (the paper's values are oracles).
 */
import type { ProblemSpec } from './types';

export interface PaperFunction {
  id: 'f1' | 'f2' | 'f3' | 'f4';
  title: string;
  expression: string;
  /**
   * The plotted window around the minima. f1 and f2 are chosen so that the paper's statements on
   * Figure 2 hold on the map: at 0.2·η_max every start in the window converges stably, and the
   * unstable share of the converging starts grows with η (checked by `gdlab reproduce` and its
   * test). Wider windows reach f1's saddle at (0, −2/3) and the region where f1 → −∞, and f2's
   * starts that diverge already at 0.2·η_max.
   */
  domain: [[number, number], [number, number]];
  /** the paper's values: λ_max at the minima and η_max = 2/λ_max */
  lambdaMax: number;
  etaMax: number;
  minimaCount: number;
}

export const PAPER_FUNCTIONS: readonly PaperFunction[] = [
  { id: 'f1', title: 'f1 = x²+y²+x²y+x³+y³', expression: 'x^2 + y^2 + x^2*y + x^3 + y^3', domain: [[-0.4, 0.4], [-0.4, 0.4]], lambdaMax: 2, etaMax: 1, minimaCount: 1 },
  { id: 'f2', title: 'f2 = x²+y²+x²y+x⁴+y⁴', expression: 'x^2 + y^2 + x^2*y + x^4 + y^4', domain: [[-0.5, 0.5], [-0.5, 0.5]], lambdaMax: 2, etaMax: 1, minimaCount: 1 },
  { id: 'f3', title: 'f3 = x⁴y²+x²y⁴−3x²y²+1', expression: 'x^4*y^2 + x^2*y^4 - 3*x^2*y^2 + 1', domain: [[-2, 2], [-2, 2]], lambdaMax: 12, etaMax: 1 / 6, minimaCount: 4 },
  { id: 'f4', title: 'f4 = (1−xy)²+(x²+y²)/20', expression: '(1 - x*y)^2 + (x^2 + y^2)/20', domain: [[-3, 3], [-3, 3]], lambdaMax: 19 / 5, etaMax: 10 / 19, minimaCount: 2 },
];

/** Figure 2: five learning rates rising to the threshold, as fractions of η_max. */
export const FIGURE2_FRACTIONS: readonly number[] = [0.2, 0.5, 0.8, 0.95, 0.99];

/** Figure 3: f4 at η = 0.25, an unstable and a stable initialization. */
export const FIGURE3 = {
  functionId: 'f4' as const,
  eta: 0.25,
  starts: [
    { label: 'unstable', init: [0.1, 2.5] },
    { label: 'stable', init: [1.5, 2] },
  ],
};

export function paperSpec(f: PaperFunction): ProblemSpec {
  return { expression: f.expression, variables: ['x', 'y'], domain: [f.domain[0], f.domain[1]] };
}
