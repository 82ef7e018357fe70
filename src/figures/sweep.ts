/**
 * The learning-rate sweep as a small FigureSpec: stacked fractions of starts per class against
 * η/η_max (one series per class in the class list; the same chart the panel's LR sweep shows).
 */
import type { BasinStats } from '../engine/types';
import { sweepChartConfig } from './charts';
import { cssColor, type ClassStyle } from './classes';
import type { FigureSpec } from './spec';

/** The fraction of a class in BasinStats (its camel-cased key), 0 if the stats do not count it. */
export function statFor(stats: BasinStats, key: string): number {
  const v = (stats as unknown as Record<string, unknown>)[key.charAt(0).toLowerCase() + key.slice(1)];
  return typeof v === 'number' ? v : 0;
}

export function sweepSpec(title: string, points: { etaFraction: number; stats: BasinStats }[], classes: ClassStyle[]): FigureSpec {
  const sorted = [...points].sort((a, b) => a.etaFraction - b.etaFraction);
  // Stack order: stable, unstable, then the rest (diverged last, on top).
  const order = [...classes].sort((a, b) => rank(a.key) - rank(b.key));
  const series = order.map((c) => ({ label: c.label, color: cssColor(c.color), values: sorted.map((p) => statFor(p.stats, c.key)) }));
  const width = 560;
  const height = 250;
  return {
    title,
    width,
    height,
    background: '#ffffff',
    items: [
      { kind: 'text', x: 12, y: 20, text: title, size: 13, weight: 'bold' },
      {
        kind: 'chart', x: 4, y: 30, width: width - 8, height: height - 34,
        config: () => sweepChartConfig(sorted.map((p) => p.etaFraction), series, { tick: 10, axisTitle: 11, yAxisWidth: 52, xAxisHeight: 32, padding: { top: 4, right: 4, bottom: 0, left: 0 } }, 10),
      },
    ],
  };
}

function rank(key: string): number {
  const order = ['Stable', 'Unstable'];
  const i = order.indexOf(key);
  if (i >= 0) return i;
  return key === 'Diverged' ? 100 : 10;
}
