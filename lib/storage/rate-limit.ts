/**
 * A token bucket per client for POST /api/runs: `perMinute` saves in a burst, then one every
 * 60/perMinute seconds. In memory: each app server limits on its own, which is enough to stop
 * one client from filling the database.
 */
export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until a token is available (for Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

const MAX_CLIENTS = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** perMinute = 0 turns the limit off. `now` is injectable so tests need no clock. */
  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(client: string): RateDecision {
    if (this.perMinute <= 0) return { allowed: true, retryAfterSeconds: 0 };
    const now = this.now();
    const ratePerMs = this.perMinute / 60_000;
    const b = this.buckets.get(client) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * ratePerMs);
    b.at = now;
    this.buckets.delete(client);
    this.buckets.set(client, b);
    this.evict();
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / ratePerMs / 1000)) };
  }

  /** Oldest clients first (Map order is last use): a flood of addresses cannot grow memory. */
  private evict(): void {
    if (this.buckets.size <= MAX_CLIENTS) return;
    for (const k of this.buckets.keys()) {
      this.buckets.delete(k);
      if (this.buckets.size <= MAX_CLIENTS) break;
    }
  }
}

/**
 * The client's address as the nearest proxy saw it: the LAST X-Forwarded-For entry (a client
 * can write any entries it likes before it, not after it), then X-Real-IP. Next's own server
 * sets X-Forwarded-For to the socket address when a request arrives without one.
 */
export function clientKey(headers: Headers): string {
  const xff = headers.get("x-forwarded-for");
  if (xff) {
    const hops = xff.split(",").map((s) => s.trim()).filter(Boolean);
    if (hops.length) return hops[hops.length - 1];
  }
  return headers.get("x-real-ip")?.trim() || "unknown";
}
