/**
 * The panel's orbit diagram: visited values against η (chart.js scatter of small dots, coloured by
 * the orbit's status; log axis for the loss gap) and the finite-time Lyapunov exponent below on
 * the same η range with its zero line; η_max of each minimum and the first η where the start stops
 * converging as vertical lines. The dots come binned from src/figures/orbit.ts (the CLI figure's
 * own binning), so a chaotic band stays a few thousand points. Click a dot to use its η.
 */
import { Chart, LineController, LineElement, LinearScale, LogarithmicScale, PointElement, ScatterController, Tooltip } from 'chart.js';
import type { ActiveElement, ChartEvent, Plugin } from 'chart.js';
import type { OrbitDiagram } from '../../src/engine/measures/orbit';
import { tickNumber } from '../../src/figures/charts';
import { niceRange, orbitDots, orbitMarkers, statusStyles } from '../../src/figures/orbit';
import { fmt } from '../lib/format';
import type { ThemeColors } from '../lib/theme';

Chart.register(ScatterController, LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip);

interface VLine { x: number; label: string; color: string; dash: number[] }

function linesPlugin(lines: VLine[], labels: boolean, theme: ThemeColors): Plugin {
  return {
    id: 'orbitMarkers',
    afterDatasetsDraw(chart) {
      const x = chart.scales.x;
      const a = chart.chartArea;
      const ctx = chart.ctx;
      lines.forEach((line, i) => {
        const px = x.getPixelForValue(line.x);
        if (!(px >= a.left - 0.5 && px <= a.right + 0.5)) return;
        ctx.save();
        ctx.strokeStyle = line.color;
        ctx.setLineDash(line.dash);
        ctx.beginPath();
        ctx.moveTo(px, a.top);
        ctx.lineTo(px, a.bottom);
        ctx.stroke();
        if (labels) {
          ctx.setLineDash([]);
          ctx.font = '11px sans-serif';
          const right = px > (a.left + a.right) / 2;
          ctx.textAlign = right ? 'right' : 'left';
          ctx.fillStyle = line.color === '#444444' ? theme.muted : line.color;
          ctx.fillText(line.label, px + (right ? -4 : 4), a.top + 12 + i * 14);
        }
        ctx.restore();
      });
    },
  };
}

const tick = (v: number | string): string => tickNumber(Number(v));

export class OrbitCharts {
  private top: Chart | null = null;
  private bottom: Chart | null = null;

  constructor(private readonly canvases: { top: HTMLCanvasElement; bottom: HTMLCanvasElement }, private readonly onPick: (eta: number) => void) {}

  show(d: OrbitDiagram, channel: number, etaReference: number | null, theme: ThemeColors): void {
    this.clear();
    const width = Math.max(200, this.canvases.top.clientWidth || 600);
    const dots = orbitDots(d, channel, width, 200, true);
    const styles = statusStyles();
    const markers = orbitMarkers(d, etaReference);
    const xRange: [number, number] = [Math.min(...d.etas), Math.max(...d.etas)];
    const scaleX = { type: 'linear' as const, min: xRange[0], max: xRange[1], ticks: { color: theme.muted, callback: tick }, grid: { color: theme.grid } };
    const onClick = (_e: ChartEvent, els: ActiveElement[], chart: Chart): void => {
      const el = els[0];
      if (!el) return;
      const p = chart.data.datasets[el.datasetIndex].data[el.index] as { x: number } | undefined;
      if (p) this.onPick(p.x);
    };
    // on a dark theme the converged dots take the foreground colour instead of black
    const colorOf = (status: keyof typeof styles): string => (styles[status].color === '#000000' ? theme.stable : styles[status].color);
    this.top = new Chart(this.canvases.top, {
      type: 'scatter',
      data: {
        datasets: [...dots.byStatus.entries()].map(([status, data]) => ({
          label: styles[status].label, data, pointRadius: 1.2, pointHoverRadius: 3, pointStyle: 'rect' as const, borderWidth: 0,
          backgroundColor: colorOf(status), borderColor: colorOf(status),
        })),
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false, parsing: false,
        onClick: (e, els, chart) => onClick(e, els, chart as Chart),
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: (item) => `η = ${fmt((item.raw as { x: number }).x)}: ${item.dataset.label} (${fmt((item.raw as { y: number }).y)})` } } },
        scales: {
          x: scaleX,
          y: { type: dots.log ? 'logarithmic' : 'linear', min: dots.yRange[0], max: dots.yRange[1], title: { display: true, text: dots.yLabel, color: theme.muted }, ticks: { color: theme.muted, callback: tick, maxTicksLimit: 7 }, grid: { color: theme.grid } },
        },
      },
      plugins: [linesPlugin(markers, true, theme)],
    });
    const S = d.starts.length;
    const finite = d.points.map((p) => p.lyapunov).filter(Number.isFinite);
    const [lo, hi] = niceRange(finite.length ? Math.max(-4, Math.min(...finite)) : -1, finite.length ? Math.max(0.2, ...finite) : 1);
    this.bottom = new Chart(this.canvases.bottom, {
      type: 'line',
      data: {
        datasets: [
          {
            label: 'Lyapunov exponent λ',
            data: d.etas.map((eta, e) => {
              const v = d.points[e * S].lyapunov;
              return { x: eta, y: v === -Infinity ? lo : Number.isFinite(v) ? Math.max(lo, v) : NaN };
            }),
            borderColor: theme.accent, borderWidth: 1.2, pointRadius: 0, pointHoverRadius: 3, spanGaps: false,
          },
          { label: 'λ = 0', data: [{ x: xRange[0], y: 0 }, { x: xRange[1], y: 0 }], borderColor: theme.muted, borderDash: [4, 3], borderWidth: 1, pointRadius: 0 },
        ],
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false, parsing: false,
        interaction: { mode: 'nearest', intersect: false, axis: 'x' },
        onClick: (e, els, chart) => onClick(e, els, chart as Chart),
        plugins: { legend: { display: false } },
        scales: {
          x: { ...scaleX, title: { display: true, text: etaReference ? `learning rate η (η_max = ${fmt(etaReference)})` : 'learning rate η', color: theme.muted } },
          y: { type: 'linear', min: lo, max: hi, title: { display: true, text: 'Lyapunov λ', color: theme.muted }, ticks: { color: theme.muted, callback: tick }, grid: { color: theme.grid } },
        },
      },
      plugins: [linesPlugin(markers, false, theme)],
    });
  }

  clear(): void {
    this.top?.destroy();
    this.bottom?.destroy();
    this.top = this.bottom = null;
  }
}
