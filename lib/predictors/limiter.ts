/**
 * Bounds the requests in flight to one backend: a few run, a short queue waits, the rest are
 * refused at once with a Retry-After estimate (a GPU serving CWM is the scarce resource).
 */
import { AppError } from "@/lib/http/errors";

export class Limiter {
  private running = 0;
  private readonly queue: Array<{ resolve: () => void; reject: (e: unknown) => void; signal?: AbortSignal; onAbort?: () => void }> = [];
  /** Moving average of how long a request holds a slot, for Retry-After. */
  private avgMs = 5_000;

  constructor(
    readonly name: string,
    readonly maxConcurrent: number,
    readonly queueLength: number,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Waits for a slot; returns its release function. Throws 429 when the queue is full. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.running < this.maxConcurrent) return this.grant();
    if (this.queue.length >= this.queueLength) {
      const retry = Math.max(1, Math.ceil(((this.queue.length + 1) * this.avgMs) / this.maxConcurrent / 1000));
      throw new AppError("rate_limited", `${this.name} is busy (${this.running} running, ${this.queue.length} waiting); try again in ${retry} s`, {
        "retry-after": String(retry),
      });
    }
    await new Promise<void>((resolve, reject) => {
      const entry: (typeof this.queue)[number] = { resolve, reject, signal };
      if (signal) {
        entry.onAbort = () => {
          const i = this.queue.indexOf(entry);
          if (i >= 0) this.queue.splice(i, 1);
          reject(signal.reason);
        };
        signal.addEventListener("abort", entry.onAbort, { once: true });
      }
      this.queue.push(entry);
    });
    return this.grant();
  }

  private grant(): () => void {
    this.running++;
    const t0 = performance.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.avgMs = this.avgMs * 0.8 + (performance.now() - t0) * 0.2;
      this.running--;
      const next = this.queue.shift();
      if (next) {
        if (next.onAbort) next.signal?.removeEventListener("abort", next.onAbort);
        next.resolve();
      }
    };
  }
}
