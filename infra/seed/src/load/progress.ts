import { performance } from 'node:perf_hooks';

/**
 * The progress line on stderr: rewritten in place on a terminal, else a line every five seconds
 * (and at the end), so a log of a long city load stays readable.
 */
export class Progress {
  private done = 0;
  private lastDraw = 0;
  private readonly started = performance.now();
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: (text: string) => void = (text) => void process.stderr.write(text),
  ) {}

  tick(n = 1): void {
    this.done += n;
    const now = performance.now();
    const finished = this.done >= this.total;
    if (!finished && now - this.lastDraw < (this.tty ? 200 : 5000)) return;
    this.lastDraw = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const eta = rate > 0 && !finished ? `, ${Math.ceil((this.total - this.done) / rate)} s left` : '';
    const line = `${this.label}: ${this.done.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')} (${((100 * this.done) / Math.max(1, this.total)).toFixed(0)}%), ${rate.toFixed(0)}/s${eta}`;
    if (this.tty) this.out(`\r\x1b[2K${line}${finished ? '\n' : ''}`);
    else this.out(`${line}\n`);
  }
}

/**
 * Runs `fn` over `items` with at most `limit` in flight; the first failure stops new work and is
 * thrown once the calls in flight settle, naming the item's index.
 */
export async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
  progress?: Progress,
): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const worker = async () => {
    while (failure === null && next < items.length) {
      const i = next++;
      try {
        await fn(items[i]!, i);
        progress?.tick();
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== null) throw failure;
}
