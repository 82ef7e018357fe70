/**
 * A terminal progress bar on stderr. On a TTY it redraws one line; elsewhere (CI logs, pipes) it
 * prints a line at every 10% so logs stay short.
 */
export class Progress {
  private done_ = 0;
  private lastDecile = -1;
  private finished = false;
  private readonly started = performance.now();
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(private readonly total: number, private readonly label: string) {}

  tick(amount: number, detail = ''): void {
    if (this.finished) return;
    this.done_ = Math.min(this.total, this.done_ + amount);
    const fraction = this.total > 0 ? this.done_ / this.total : 1;
    const seconds = (performance.now() - this.started) / 1000;
    if (this.tty) {
      const width = 28;
      const filled = Math.round(fraction * width);
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      process.stderr.write(`\r${this.label} ${bar} ${(100 * fraction).toFixed(0).padStart(3)}% ${seconds.toFixed(1)}s ${detail}`.padEnd(100).slice(0, 100));
    } else {
      const decile = Math.floor(fraction * 10);
      if (decile > this.lastDecile) {
        this.lastDecile = decile;
        process.stderr.write(`${this.label}: ${(100 * fraction).toFixed(0)}% after ${seconds.toFixed(1)}s ${detail}\n`);
      }
    }
  }

  done(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.tty) process.stderr.write('\n');
  }
}
