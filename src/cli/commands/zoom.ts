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
import { encodePng, renderClassMap, type ColorScheme } from '../../shared/encode';
import { intOption, listOption, numberOption, parseArgs, UsageError } from '../args';
import { classifyOptionsFrom, loadProblem, PROBLEM_OPTIONS, resolveEtaOption, thresholdNote, writeAtomic } from '../problemInput';
import { sliceFromArgs, workersOption } from './basin';

const HELP = `Usage: gdlab zoom <expression | config.gdlab.json> (--eta η | --eta-frac f) --out DIR [options]

Zooms into a point of a basin boundary: frame k is the map of a window factor^k times smaller
around the point, recomputed (not enlarged), so a fractal boundary keeps showing structure.
Writes DIR/frame-000-zoom-1x.png, frame-001-zoom-2x.png, … and DIR/frames.json (each frame's
window, centre, area fractions and basin entropy).

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
  --domain, --variables as for gdlab analyze
  --workers N           worker threads (default: all cores)
  --help                this text

Exit codes: 0 ok, 2 bad input, 1 other failure.`;

export function frameFileName(frame: { index: number; zoom: number }): string {
  return `frame-${String(frame.index).padStart(3, '0')}-zoom-${zoomLabel(frame.zoom)}.png`;
}

function frameEntry(f: ZoomFrame): Record<string, unknown> {
  return {
    index: f.index,
    zoom: f.zoom,
    file: frameFileName(f),
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
    values: ['eta', 'eta-frac', 'out', 'frames', 'factor', 'center', 'grid', 'x', 'y', 'axes', 'fixed', 'max-iter', 'guard', 'scheme', 'workers', ...PROBLEM_OPTIONS],
    flags: ['help'],
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
  const writeFrame = (f: ZoomFrame): void => {
    const png = encodePng(renderClassMap(f.classes, f.minimum, f.slice.width, f.slice.height, scheme), f.slice.width, f.slice.height);
    writeAtomic(path.join(dir, frameFileName(f)), png);
    manifest.frames.push(frameEntry(f));
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
  process.stderr.write(`wrote ${frames} frame${frames === 1 ? '' : 's'} and frames.json to ${dir}\n`);
  return 0;
}
