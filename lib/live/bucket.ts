/**
 * Token buckets keyed by a string, with their own burst (lib/storage/rate-limit.ts's burst
 * is a minute's worth, too much for answers). In memory, per instance; the least recently
 * seen keys are forgotten first.
 */
import "server-only";
import { LRUCache } from "lru-cache";
import { AppError } from "@/lib/http/errors";

export class Buckets {
  private readonly buckets = new LRUCache<string, { tokens: number; at: number }>({ max: 20_000 });

  /** perSecond = 0 turns the limit off; `now` is injectable for tests. */
  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token or throws 429 with Retry-After. */
  take(key: string, what: string): void {
    if (this.perSecond <= 0) return;
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return;
    }
    const wait = Math.max(1, Math.ceil((1 - b.tokens) / this.perSecond));
    throw new AppError("rate_limited", `too many ${what}: try again in ${wait} s`, { "Retry-After": String(wait) });
  }
}
