/**
 * `gdlab zoom <expression|config> (--eta η | --eta-frac f) [--frames 8] [--factor 2] [--center x,y]
 *  [--grid 256] --out dir/`
 * A zoom movie into a basin boundary: each frame a recomputed map of a window `factor` times
 * smaller, written as PNG (zoom factor in the file name) with a frames.json manifest
 * (src/engine/measures/zoom.ts, src/compute/measureJobs.ts).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { smallestEtaMax } from '../../engine/sweep';
import { zoomLabel } from '../../engine/measures/zoom';
import { ComputePool } from '../../compute/pool';
import { zoomMovie, type ZoomFrame } from '../../compute/measureJobs';
import { classColors, encodePng, renderClassMap, type ColorScheme } from '../../shared/encode';
import { encodeGif, type RgbaFrame } from '../gif';
import { cssColor, figureClasses } from '../../figures/classes';
import { MinimumCode, PixelClass } from '../../engine/types';
import { formatEta } from '../../figures/figure2';
import { prettyFormula } from '../../figures/formula';
import { classLegendEntries, mapFigureSpec } from '../../figures/mapFigure';
import { decode } from 'fast-png';
import { figureBackendError, pixelRatioFor, renderFigure } from '../figureRender';
import { intOption, listOption, numberOption, parseArgs, UsageError } from '../args';
import { classifyOptionsFrom, loadProblem, PROBLEM_OPTIONS, resolveEtaOption, thresholdNote, writeAtomic } from '../problemInput';
import { sliceFromArgs, workersOption } from './basin';

const HELP = `Usage: gdlab zoom <expression | config.gdlab.json> (--eta η | --eta-frac f) --out DIR [options]

Zooms into a point of a basin boundary: frame k is the map of a window factor^k times smaller
around the point, recomputed (not enlarged), so a fractal boundary keeps showing structure.
Writes DIR/frame-000-zoom-1x.png, frame-001-zoom-2x.png, … (the maps, one pixel per start),
DIR/movie-000-zoom-1x.png, … (labelled frames: axes, zoom factor, window, basin entropy and the
class legend with area fractions), DIR/zoom.gif with --gif (the labelled frames animated) and
DIR/frames.json (each frame's window, centre, area fractions and basin entropy).

Options:
  --eta η / --eta-frac f  learning rate (or a fraction of the smallest η_max)
  --out DIR             output directory (created if missing)
  --frames N            number of frames (default 8)
  --factor f            zoom per frame, > 1 (default 2)
  --center x,y          the point to zoom into (default: the most mixed boundary point of each
                        frame, searched in its middle third, so the zoom follows the boundary)
  --grid N              pixels per side of every frame (default 256, or the config's grid)
  --x lo,hi / --y lo,hi / --axes x,y / --fixed z=v   the first frame's window, as for gdlab basin
  --max-iter N          GD steps before a start counts as not converged (default 2000)
  --guard g             relative round-off guard for loss increases (default 1e-12)
  --scheme S            PNG colours: paper (default), per-minimum, colorblind
  --gif                 also write DIR/zoom.gif, the labelled frames as a looping animation
  --delay MS            time per GIF frame in milliseconds (default 700)
  --scale s             resolution multiplier of the labelled frames (default 1)
  --domain, --variables as for gdlab analyze
  --workers N           worker threads (default: all cores)
  --help                this text

Exit codes: 0 ok, 2 bad input, 1 other failure.`;

export function frameFileName(frame: { index: number; zoom: number }): string {
  return `frame-${String(frame.index).padStart(3, '0')}-zoom-${zoomLabel(frame.zoom)}.png`;
}

/** The labelled frame of a map frame (same name, `movie-` instead of `frame-`). */
export function movieFileName(frame: { index: number; zoom: number }): string {
  return frameFileName(frame).replace(/^frame-/, 'movie-');
}

/** Any decoded PNG's pixels as RGBA (the renderer writes RGBA; RGB gets an opaque alpha). */
function toRgba(data: ArrayLike<number>, channels: number): Uint8Array {
  if (channels === 4) return Uint8Array.from(data);
  const n = data.length / channels;
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) out[i * 4 + c] = data[i * channels + Math.min(c, channels - 1)];
    out[i * 4 + 3] = 255;
  }
  return out;
}

function g(v: number): string {
  return String(Number(v.toPrecision(5)));
}

/** A coordinate of a window of width `span`: enough decimals to tell its ends apart. */
function inWindow(v: number, span: number): string {
  const decimals = Math.min(15, Math.max(0, 3 - Math.floor(Math.log10(span))));
  return Number(v.toFixed(decimals)).toString();
}

/**
 * Draws a frame with the figure stack: the map with axes, the zoom factor and window in the notes,
 * the basin entropy, and every class with its area fraction in the legend (scheme colours).
 */
function labelledFrame(o: { title: string; xLabel: string; yLabel: string; frames: number; factor: number; scheme: ColorScheme; minima: [number, number][]; pixelRatio: number }) {
  // the colours of the map PNGs (src/shared/classColors.ts; the figures' class colours in the paper scheme)
  const classes = figureClasses();
  const palette = classColors(o.scheme);
  const colorOf = (code: number): string => cssColor(palette.byClass[code] ?? classes.find((c) => c.code === code)?.color ?? [255, 255, 255, 255]);
  return (f: ZoomFrame, rgba: Uint8Array): Uint8Array => {
    const { xRange, yRange, width, height } = f.slice;
    // converged to a set of minima or an unlisted minimum: tints of their own (legend rows when present)
    const sets = { stable: 0, unstable: 0 };
    for (let i = 0; i < f.classes.length; i++) {
      if (f.minimum[i] > MinimumCode.None) continue;
      if (f.classes[i] === PixelClass.Stable && f.minimum[i] !== MinimumCode.None) sets.stable++;
      else if (f.classes[i] === PixelClass.Unstable && f.minimum[i] !== MinimumCode.None) sets.unstable++;
    }
    const setRows = [
      ...(sets.stable > 0 ? [{ label: 'stable, to a set of minima', color: cssColor(palette.stableSet), value: `${((100 * sets.stable) / f.classes.length).toFixed(1)} %` }] : []),
      ...(sets.unstable > 0 ? [{ label: 'unstable, to a set of minima', color: cssColor(palette.unstableSet), value: `${((100 * sets.unstable) / f.classes.length).toFixed(1)} %` }] : []),
    ];
    const fractions = new Array<number>(Math.max(...classes.map((c) => c.code)) + 1).fill(0);
    for (let i = 0; i < f.classes.length; i++) fractions[f.classes[i]] = (fractions[f.classes[i]] ?? 0) + 1 / f.classes.length;
    const entropy = f.entropy.Sbb === null
      ? `S_b = ${f.entropy.Sb.toFixed(3)}, no boundary box`
      : `S_b = ${f.entropy.Sb.toFixed(3)}, S_bb = ${f.entropy.Sbb.toFixed(3)}${f.entropy.fractalByLn2 ? ' > ln 2: fractal boundary' : ' ≤ ln 2'}`;
    const spec = mapFigureSpec({
      title: o.title,
      notes: [
        `frame ${f.index + 1} of ${o.frames}: zoom ${zoomLabel(f.zoom)} (×${g(o.factor)} per frame) into (${f.center.map((v) => inWindow(v, xRange[1] - xRange[0])).join(', ')})`,
        `window ${o.xLabel} ∈ [${inWindow(xRange[0], xRange[1] - xRange[0])}, ${inWindow(xRange[1], xRange[1] - xRange[0])}], ${o.yLabel} ∈ [${inWindow(yRange[0], yRange[1] - yRange[0])}, ${inWindow(yRange[1], yRange[1] - yRange[0])}], ${width}×${height} starts`,
        `basin entropy (boxes of ${f.entropy.boxSide}×${f.entropy.boxSide} pixels): ${entropy}`,
      ],
      xRange, yRange, xLabel: o.xLabel, yLabel: o.yLabel,
      image: { width, height, rgba },
      // every minimum (markers outside the window are clipped), so every frame has the same legend and size
      minima: o.minima,
      legend: [...classLegendEntries(classes, fractions, colorOf), ...setRows],
      legendNotes: o.scheme === 'per-minimum' ? ['stable / unstable: colours of minimum #0; other minima have their own shades'] : [],
    }, { pixelRatio: o.pixelRatio });
    return renderFigure(spec, 'png', o.pixelRatio);
  };
}

function frameEntry(f: ZoomFrame, labelled: boolean): Record<string, unknown> {
  return {
    index: f.index,
    zoom: f.zoom,
    file: frameFileName(f),
    labelled: labelled ? movieFileName(f) : null,
    center: f.center,
    xRange: f.slice.xRange,
    yRange: f.slice.yRange,
    stats: f.stats,
    entropy: { boxSide: f.entropy.boxSide, Sb: f.entropy.Sb, Sbb: f.entropy.Sbb, boundaryBoxes: f.entropy.boundaryBoxes, boxes: f.entropy.boxes },
    nextCenter: f.mixed ? { point: f.mixed.point, row: f.mixed.row, col: f.mixed.col, entropy: f.mixed.entropy } : null,
  };
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: ['eta', 'eta-frac', 'out', 'frames', 'factor', 'center', 'grid', 'x', 'y', 'axes', 'fixed', 'max-iter', 'guard', 'scheme', 'workers', 'delay', 'scale', ...PROBLEM_OPTIONS],
    flags: ['help', 'gif'],
  });
  if (args.options.has('help')) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const dir = args.options.get('out');
  if (dir === undefined) throw new UsageError('missing --out DIR: the directory for the frames (created if missing)');
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`--out '${dir}' is a file; give a directory`);
  const scheme = (args.options.get('scheme') ?? 'paper') as ColorScheme;
  if (!['paper', 'per-minimum', 'colorblind'].includes(scheme)) throw new UsageError(`--scheme must be paper, per-minimum or colorblind, got '${scheme}'`);
  const frames = intOption(args, 'frames', 8, 1, 1000);
  const factor = numberOption(args, 'factor', 2) as number;
  if (!(factor > 1)) throw new UsageError(`--factor must be a zoom per frame greater than 1, got ${factor}`);
  const gif = args.options.has('gif');
  if (args.options.has('delay') && !gif) throw new UsageError('--delay is the time per frame of the GIF: give --gif too');
  const delay = intOption(args, 'delay', 700, 10, 60_000);
  const scale = numberOption(args, 'scale', 1) as number;
  if (!(scale >= 0.25 && scale <= 8)) throw new UsageError(`--scale must be a number from 0.25 to 8, got '${args.options.get('scale')}'`);
  const center = listOption(args, 'center');
  if (center !== undefined && center.length !== 2) throw new UsageError(`--center must be two numbers 'x,y' (the map's axes), got ${center.length}`);

  const input = loadProblem(args, 'zoom');
  const { problem } = input;
  const eta = resolveEtaOption(args, input);
  const classify = classifyOptionsFrom(args, input.config);
  const slice = sliceFromArgs(input, args);
  const note = thresholdNote(problem, eta);
  if (note) process.stderr.write(note + '\n');
  const deepest = factor ** (frames - 1);
  const span = Math.min(slice.xRange[1] - slice.xRange[0], slice.yRange[1] - slice.yRange[0]) / deepest / Math.max(slice.width, slice.height);
  if (!(span > 1e-13 * Math.max(1, ...slice.xRange.map(Math.abs), ...slice.yRange.map(Math.abs)))) {
    throw new UsageError(`a zoom of ${deepest.toPrecision(3)}× (--factor ${factor}, --frames ${frames}) makes pixels narrower than double precision can tell apart; use fewer frames or a smaller factor`);
  }
  // labelled frames need the canvas library; without it the maps are still written (and --gif refused up front)
  const backend = figureBackendError();
  if (backend !== null && gif) throw new Error(`--gif needs the labelled frames: ${backend}`);
  if (backend !== null) process.stderr.write(`note: writing the maps without labelled frames: ${backend}\n`);
  mkdirSync(dir, { recursive: true });

  const etaMax = smallestEtaMax(problem);
  const manifest = {
    expression: problem.parsed.normalized,
    variables: problem.parsed.variables,
    axes: slice.axes.map((i) => problem.parsed.variables[i]),
    eta,
    etaFraction: etaMax === null ? null : eta / etaMax,
    classify,
    factor,
    follow: center === undefined,
    width: slice.width,
    height: slice.height,
    scheme,
    frames: [] as Record<string, unknown>[],
  };
  const names = problem.parsed.variables;
  const labelled = labelledFrame({
    title: `Zoom into f = ${prettyFormula(problem.parsed.normalized)} at η = ${formatEta(eta)}${etaMax !== null ? ` (${Number((eta / etaMax).toPrecision(3))} η_max)` : ''}`,
    xLabel: names[slice.axes[0]], yLabel: names[slice.axes[1]], frames, factor, scheme,
    minima: problem.minima.map((m) => [m.point[slice.axes[0]], m.point[slice.axes[1]]] as [number, number]),
    pixelRatio: pixelRatioFor(slice.width, scale),
  });
  const movie: RgbaFrame[] = [];
  const writeFrame = (f: ZoomFrame): void => {
    const rgba = renderClassMap(f.classes, f.minimum, f.slice.width, f.slice.height, scheme);
    const png = encodePng(rgba, f.slice.width, f.slice.height);
    writeAtomic(path.join(dir, frameFileName(f)), png);
    const framePng = backend === null ? labelled(f, rgba) : null;
    if (framePng) writeAtomic(path.join(dir, movieFileName(f)), framePng);
    if (gif && framePng) {
      const decoded = decode(framePng);
      movie.push({ width: decoded.width, height: decoded.height, rgba: toRgba(decoded.data, decoded.channels) });
    }
    manifest.frames.push(frameEntry(f, framePng !== null));
    writeAtomic(path.join(dir, 'frames.json'), JSON.stringify(manifest, null, 2) + '\n');
    const c = f.center.map((v) => Number(v.toPrecision(8))).join(', ');
    process.stderr.write(`frame ${f.index + 1}/${frames}: zoom ${zoomLabel(f.zoom)} at (${c}), S_bb = ${f.entropy.Sbb === null ? '— (no boundary)' : f.entropy.Sbb.toFixed(3)}\n`);
  };
  const pool = new ComputePool({ workers: workersOption(args) });
  try {
    await zoomMovie(pool, { spec: problem.spec, slice, eta, classify, frames, factor, center: center as [number, number] | undefined }, writeFrame);
  } finally {
    pool.dispose();
  }
  if (gif) writeAtomic(path.join(dir, 'zoom.gif'), encodeGif(movie, delay));
  process.stderr.write(`wrote ${frames} frame${frames === 1 ? '' : 's'} (maps and labelled), ${gif ? 'zoom.gif ' : ''}and frames.json to ${dir}\n`);
  return 0;
}
