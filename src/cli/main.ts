/**
 * `gdlab` command line. Each subcommand lives in src/cli/commands/<name>.ts and exports
 * `run(argv: string[]): Promise<number>` (the exit code). Usage errors throw UsageError → exit 2.
 * Every line written to stderr is made safe here: user text in it is escaped (ESC → \u001b,
 * newline → \n) and capped, so one problem is one line.
 */
import { editDistance } from '../config/keys';
import { echo, oneLine } from '../config/userText';
import { UsageError } from './args';

type Command = { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> };

const COMMANDS: ReadonlyMap<string, Command> = new Map([
  ['analyze', { summary: 'critical points, eigenvalues and η_max = 2/λ_max of an objective', load: () => import('./commands/analyze') }],
  ['reproduce', { summary: "recompute the paper's Figures 2 and 3 (PNGs, summary, report.html)", load: () => import('./commands/reproduce') }],
  ['basin', { summary: 'basin map of a grid of starts (stable / unstable / diverged) → PNG, .npy or JSON', load: () => import('./commands/basin') }],
  ['trajectory', { summary: 'one GD trajectory: loss, ‖∇f‖, sharpness, increases → CSV or JSON', load: () => import('./commands/trajectory') }],
  ['sweep', { summary: 'area fractions over a list of learning rates → CSV or JSON', load: () => import('./commands/sweep') }],
  ['figure', { summary: 'your own Figure 2: landscape + basin maps at several learning rates → SVG, PDF or PNG', load: () => import('./commands/figure') }],
  ['train', { summary: 'train a config\'s network: loss, unstable phase, sharpness vs 2/η → CSV or JSON', load: () => import('./commands/train') }],
  ['orbit', { summary: 'orbit (bifurcation) diagram and Lyapunov exponents against η → CSV or JSON', load: () => import('./commands/orbit') }],
  ['tipping', { summary: 'which starts change class between two learning rates → JSON, CSV or .npy', load: () => import('./commands/tipping') }],
  ['zoom', { summary: 'recomputed zoom frames into a basin boundary → PNGs and frames.json', load: () => import('./commands/zoom') }],
]);

function usage(): string {
  const lines = [...COMMANDS].map(([name, c]) => `  ${name.padEnd(11)} ${c.summary}`);
  return [
    'Usage: gdlab <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `gdlab <command> --help` for its options. `--` ends the options: an expression that',
    'starts with \'-\' goes after it, e.g. gdlab analyze -- "--x^2 + y^2".',
  ].join('\n');
}

/** "unknown command 'bogus'; run gdlab --help" (+ the nearest command when one is close). */
export function unknownCommand(name: string): string {
  let near: string | undefined;
  if (name.length <= 40) {
    for (const known of COMMANDS.keys()) if (editDistance(name.toLowerCase(), known, 2) <= 2) near = near ?? known;
  }
  return `gdlab: unknown command '${echo(name, 40)}'${near ? `; did you mean gdlab ${near}?` : ''} (commands: ${[...COMMANDS.keys()].join(', ')}; gdlab --help for more)`;
}

/**
 * Writes a message to stderr, each line escaped and capped; the first line carries the prefix
 * (several lines are several problems, e.g. a config's file:line:column list).
 */
function report(prefix: string, message: string): void {
  message.split('\n').forEach((line, k) => process.stderr.write(`${k === 0 ? prefix : ''}${oneLine(line, 1000)}\n`));
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? process.stdout : process.stderr).write(usage() + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS.get(name);
  if (!command) {
    process.stderr.write(unknownCommand(name) + '\n');
    return 2;
  }
  try {
    const mod = await command.load();
    return await mod.run(rest);
  } catch (err) {
    // bad input found deep in the engine (ExpressionError) is still bad input: exit 2
    if (err instanceof UsageError || (err instanceof Error && err.name === 'ExpressionError')) {
      report(`gdlab ${name}: `, err.message);
      return 2;
    }
    report(`gdlab ${name}: `, err instanceof Error ? err.message : String(err));
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`gdlab: internal error: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
    process.exitCode = 1;
  },
);
