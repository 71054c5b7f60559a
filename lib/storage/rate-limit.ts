/**
 * A token bucket per client for the saving routes (POST /api/runs, /api/lessons): `perMinute` saves in a burst, then one every
 * 60/perMinute seconds. In memory: each app server limits on its own, which is enough to stop
 * one client from filling the database.
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
  ) {}

  take(client: string): RateDecision {
    if (this.perMinute <= 0) return { allowed: true, retryAfterSeconds: 0 };
    const now = this.now();
    const ratePerMs = this.perMinute / 60_000;
    const b = this.buckets.get(client) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * ratePerMs);
    b.at = now;
    this.buckets.set(client, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / ratePerMs / 1000)) };
  }

  /** Takes a token for this request's client, or throws 429 with Retry-After ("too many saved WHAT from this address"). */
  admit(req: Request, what: string): void {
    const decision = this.take(clientKey(req.headers));
    if (!decision.allowed) {
      throw new AppError("rate_limited", `too many saved ${what} from this address: try again in ${decision.retryAfterSeconds} s`, {
        "Retry-After": String(decision.retryAfterSeconds),
      });
    }
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
