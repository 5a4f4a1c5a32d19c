import { RequestRefusedError } from '@huanjie/platform';

export interface RateLimitOptions {
  /** Sustained rate: tokens added per minute to each caller's bucket. */
  perMinute: number;
  /** Bucket size: how many requests a caller may send at once after being idle. */
  burst: number;
  /** Default: Date.now (tests pass a clock). */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Past this many buckets, full ones (idle callers) are dropped: they equal a fresh bucket. */
const SWEEP_AT = 10_000;

/**
 * A token bucket per caller (the token's subject), in this process's memory: each gateway
 * replica counts on its own, so N replicas behind a load balancer let a caller through at up to N
 * times the rate. An operation takes one token; a batched request takes one per operation.
 */
export function createRateLimiter(options: RateLimitOptions) {
  const now = options.now ?? Date.now;
  const perMs = options.perMinute / 60_000;
  const buckets = new Map<string, Bucket>();

  const refill = (bucket: Bucket, at: number) => {
    bucket.tokens = Math.min(options.burst, bucket.tokens + (at - bucket.at) * perMs);
    bucket.at = at;
  };

  const sweep = (at: number) => {
    for (const [key, bucket] of buckets) {
      refill(bucket, at);
      if (bucket.tokens >= options.burst) buckets.delete(key);
    }
  };

  return {
    /** Takes `count` tokens from the caller's bucket; when there are too few, how long until there are. */
    take(key: string, count = 1): { ok: true } | { ok: false; retryAfterSeconds: number } {
      const at = now();
      if (buckets.size >= SWEEP_AT) sweep(at);
      let bucket = buckets.get(key);
      if (!bucket) {
        bucket = { tokens: options.burst, at };
        buckets.set(key, bucket);
      }
      refill(bucket, at);
      const needed = Math.min(count, options.burst);
      if (bucket.tokens >= needed) {
        bucket.tokens -= needed;
        return { ok: true };
      }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((needed - bucket.tokens) / perMs / 1000)) };
    },
    /** Buckets held (for tests). */
    get size() {
      return buckets.size;
    },
  };
}

/** For createHttpServer's `admit`: 429 RATE_LIMITED with Retry-After once a caller's bucket is empty. */
export function rateLimitAdmission(options: RateLimitOptions) {
  const limiter = createRateLimiter(options);
  return (userId: string, operations: number): void => {
    const outcome = limiter.take(userId, operations);
    if (outcome.ok) return;
    const seconds = outcome.retryAfterSeconds;
    throw new RequestRefusedError(
      429,
      'RATE_LIMITED',
      'GATEWAY.RATE_LIMIT',
      `too many requests: at most ${options.perMinute} operations a minute per user (bursts of ${options.burst}); retry in ${seconds} s`,
      { headers: { 'retry-after': String(seconds) }, extensions: { retryAfterSeconds: seconds } },
    );
  };
}
