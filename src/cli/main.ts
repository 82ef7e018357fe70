/**
 * `gdlab` command line. Each subcommand lives in src/cli/commands/<name>.ts and exports
 * `run(argv: string[]): Promise<number>` (the exit code). Usage errors throw UsageError → exit 2.
 */
import { UsageError } from './args';

type Command = { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  analyze: { summary: 'critical points, eigenvalues and η_max = 2/λ_max of an objective', load: () => import('./commands/analyze') },
  reproduce: { summary: "recompute the paper's Figures 2 and 3 (PNGs, summary, report.html)", load: () => import('./commands/reproduce') },
  basin: { summary: 'basin map of a grid of starts (stable / unstable / diverged) → PNG, .npy or JSON', load: () => import('./commands/basin') },
  trajectory: { summary: 'one GD trajectory: loss, ‖∇f‖, sharpness, increases → CSV or JSON', load: () => import('./commands/trajectory') },
  sweep: { summary: 'area fractions over a list of learning rates → CSV or JSON', load: () => import('./commands/sweep') },
  figure: { summary: 'your own Figure 2: landscape + basin maps at several learning rates → SVG, PDF or PNG', load: () => import('./commands/figure') },
  train: { summary: 'train a config\'s network: loss, unstable phase, sharpness vs 2/η → CSV or JSON', load: () => import('./commands/train') },
  orbit: { summary: 'orbit (bifurcation) diagram and Lyapunov exponents against η → CSV or JSON', load: () => import('./commands/orbit') },
  tipping: { summary: 'which starts change class between two learning rates → JSON, CSV or .npy', load: () => import('./commands/tipping') },
  zoom: { summary: 'recomputed zoom frames into a basin boundary → PNGs and frames.json', load: () => import('./commands/zoom') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(11)} ${c.summary}`);
  return ['Usage: gdlab <command> [options]', '', 'Commands:', ...lines, '', 'Run `gdlab <command> --help` for its options.'].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`gdlab: unknown command '${name}'\n\n${usage()}\n`);
    return 2;
  }
  try {
    const mod = await command.load();
    return await mod.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`gdlab ${name}: ${err.message}\n`);
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`gdlab ${name}: ${message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`gdlab: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
