import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/http/errors";
import { RateLimiter, clientKey } from "@/lib/storage/rate-limit";

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe("RateLimiter", () => {
  it("allows perMinute requests at once, then refuses", () => {
    const c = clock();
    const l = new RateLimiter(5, c.now);
    for (let i = 0; i < 5; i++) expect(l.take("a").allowed).toBe(true);
    expect(l.take("a")).toEqual({ allowed: false, retryAfterSeconds: 12 });
  });

  it("refills one token every 60/perMinute seconds", () => {
    const c = clock();
    const l = new RateLimiter(6, c.now);
    for (let i = 0; i < 6; i++) l.take("a");
    c.advance(9_999);
    expect(l.take("a").allowed).toBe(false);
    c.advance(1);
    expect(l.take("a").allowed).toBe(true);
    expect(l.take("a").allowed).toBe(false);
  });

  it("never stores more than a full bucket, however long the client was away", () => {
    const c = clock();
    const l = new RateLimiter(2, c.now);
    l.take("a");
    c.advance(3_600_000);
    expect([l.take("a"), l.take("a"), l.take("a")].map((d) => d.allowed)).toEqual([true, true, false]);
  });

  it("gives a Retry-After that is enough to be allowed again", () => {
    const c = clock();
    const l = new RateLimiter(7, c.now);
    for (let i = 0; i < 7; i++) l.take("a");
    const { retryAfterSeconds } = l.take("a");
    c.advance(retryAfterSeconds * 1000);
    expect(l.take("a").allowed).toBe(true);
  });

  it("keeps clients apart", () => {
    const l = new RateLimiter(1, clock().now);
    expect(l.take("a").allowed).toBe(true);
    expect(l.take("a").allowed).toBe(false);
    expect(l.take("b").allowed).toBe(true);
  });

  it("turns off with perMinute 0", () => {
    const l = new RateLimiter(0, clock().now);
    for (let i = 0; i < 100; i++) expect(l.take("a").allowed).toBe(true);
  });

  it("forgets the oldest clients past 10,000, so a flood of addresses cannot grow memory", () => {
    const l = new RateLimiter(1, clock().now);
    l.take("first");
    for (let i = 0; i < 10_000; i++) l.take(`c${i}`);
    expect(l.size).toBe(10_000);
    expect(l.take("first").allowed).toBe(true);
    expect(l.take("c9999").allowed).toBe(false);
  });

  it("with its own burst: allows that many at once, then refills at perMinute", () => {
    const c = clock();
    const l = new RateLimiter(60, c.now, 3);
    expect([l.take("a"), l.take("a"), l.take("a"), l.take("a")].map((d) => d.allowed)).toEqual([true, true, true, false]);
    c.advance(3_600_000);
    expect([l.take("a"), l.take("a"), l.take("a"), l.take("a")].map((d) => d.allowed)).toEqual([true, true, true, false]);
    c.advance(1000);
    expect(l.take("a").allowed).toBe(true);
  });

  it("enforce throws 429 worded by the caller, with Retry-After", () => {
    const l = new RateLimiter(1, clock().now);
    l.enforce("k", "join attempts from this address");
    let caught: unknown;
    try {
      l.enforce("k", "join attempts from this address");
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).message).toBe("too many join attempts from this address: try again in 60 s");
    expect((caught as AppError).headers).toEqual({ "Retry-After": "60" });
  });

  it("admit keeps the saving routes' wording", () => {
    const l = new RateLimiter(1, clock().now);
    const req = () => new Request("http://127.0.0.1/api/runs", { method: "POST", headers: { "x-cwm-socket-address": "127.0.0.7" } });
    l.admit(req(), "runs");
    expect(() => l.admit(req(), "runs")).toThrow(/^too many saved runs from this address: try again in 60 s$/);
  });
});

describe("clientKey", () => {
  const h = (init: Record<string, string>) => new Headers(init);
  it("is the socket address the production server stamped, whatever X-Forwarded-For says", () =>
    expect(clientKey(h({ "x-cwm-socket-address": "127.0.0.9", "x-forwarded-for": "1.1.1.1" }))).toBe("127.0.0.9"));
  it("without a stamped address, takes the X-Forwarded-For hop Next filled in", () => expect(clientKey(h({ "x-forwarded-for": "3.3.3.3" }))).toBe("3.3.3.3"));
  it("never trusts X-Real-IP: requests without an address are grouped together", () => expect(clientKey(h({ "x-real-ip": "4.4.4.4" }))).toBe("unknown"));
});
