/**
 * A token bucket per key: `burst` requests at once (by default a minute's worth), then one every
 * 60/perMinute seconds. The saving routes (POST /api/runs, /api/lessons) key it by client; the
 * live routes by client (joins) and by participant (answers). In memory: each app server limits
 * on its own, which is enough to stop one client from filling the database.
 */
import "server-only";
import { LRUCache } from "lru-cache";
import { AppError } from "@/lib/http/errors";
import { clientAddress } from "@/lib/http/forwarded";

export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until a token is available (for Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Least recently seen clients are forgotten first: a flood of addresses cannot grow memory. */
const MAX_CLIENTS = 10_000;

export class RateLimiter {
  private readonly buckets = new LRUCache<string, Bucket>({ max: MAX_CLIENTS });

  /** perMinute = 0 turns the limit off. `now` is injectable so tests need no clock. */
  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
    readonly burst: number = perMinute,
  ) {}

  take(client: string): RateDecision {
    if (this.perMinute <= 0) return { allowed: true, retryAfterSeconds: 0 };
    const now = this.now();
    const ratePerMs = this.perMinute / 60_000;
    const b = this.buckets.get(client) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * ratePerMs);
    b.at = now;
    this.buckets.set(client, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / ratePerMs / 1000)) };
  }

  /** Takes a token for `key`, or throws 429 with Retry-After ("too many WHAT: try again in N s"). */
  enforce(key: string, what: string): void {
    const decision = this.take(key);
    if (!decision.allowed) {
      throw new AppError("rate_limited", `too many ${what}: try again in ${decision.retryAfterSeconds} s`, {
        "Retry-After": String(decision.retryAfterSeconds),
      });
    }
  }

  /** enforce for this request's client, worded for the saving routes ("too many saved WHAT from this address"). */
  admit(req: Request, what: string): void {
    this.enforce(clientKey(req.headers), `saved ${what} from this address`);
  }

  /** Clients currently remembered (for tests of the bound). */
  get size(): number {
    return this.buckets.size;
  }
}

/** The rate-limit key: the client's address as lib/http/forwarded.ts resolves it (TRUST_PROXY). */
export function clientKey(headers: Headers): string {
  return clientAddress(headers);
}
