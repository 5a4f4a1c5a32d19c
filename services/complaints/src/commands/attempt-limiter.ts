/**
 * Counts failed attempts per key in a sliding window, in memory: enough to slow a guesser on one
 * instance (the receipt code's 100 random bits are the real defence; this keeps the logs and the
 * database quiet). Successful look-ups do not count.
 */
export class AttemptLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    readonly maxFailures: number,
    readonly windowMs: number,
    private readonly now: () => Date,
  ) {}

  /** True when `key` may try again now. */
  allowed(key: string): boolean {
    return this.recent(key).length < this.maxFailures;
  }

  fail(key: string): void {
    const list = this.recent(key);
    list.push(this.now().getTime());
    this.failures.set(key, list);
    if (this.failures.size > 10_000) {
      // Forget the stalest keys rather than grow without bound.
      for (const k of [...this.failures.keys()].slice(0, 1000)) this.failures.delete(k);
    }
  }

  private recent(key: string): number[] {
    const since = this.now().getTime() - this.windowMs;
    return (this.failures.get(key) ?? []).filter((t) => t > since);
  }
}
