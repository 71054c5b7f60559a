/**
 * Bounds the requests in flight to one backend: a few run, a short queue waits, the rest are
 * refused at once with a Retry-After estimate (a GPU serving CWM is the scarce resource).
 * The queue itself is p-queue; this adds the bound, the 429 and the estimate.
 */
import PQueue from "p-queue";
import { AppError } from "@/lib/http/errors";

export class Limiter {
  private readonly queue: PQueue;
  /**
   * Waiters not yet started and not given up: p-queue drops an aborted entry only when it
   * reaches the head, and a client that went away must free its place at once.
   */
  private live = 0;
  /** Moving average of how long a request holds a slot, for Retry-After. */
  private avgMs = 5_000;

  constructor(
    readonly name: string,
    readonly maxConcurrent: number,
    readonly queueLength: number,
  ) {
    this.queue = new PQueue({ concurrency: maxConcurrent });
  }

  get inFlight(): number {
    return this.queue.pending;
  }

  get waiting(): number {
    return this.live;
  }

  /** Waits for a slot; returns its release function. Throws 429 when the queue is full. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.queue.pending >= this.maxConcurrent && this.live >= this.queueLength) {
      const retry = Math.max(1, Math.ceil(((this.live + 1) * this.avgMs) / this.maxConcurrent / 1000));
      return Promise.reject(
        new AppError("rate_limited", `${this.name} is busy (${this.queue.pending} running, ${this.live} waiting); try again in ${retry} s`, {
          "retry-after": String(retry),
        }),
      );
    }
    return new Promise<() => void>((resolve, reject) => {
      let waiting = true;
      const leave = () => {
        if (!waiting) return;
        waiting = false;
        this.live--;
      };
      const onAbort = () => {
        leave();
        reject(signal!.reason);
      };
      this.live++;
      signal?.addEventListener("abort", onAbort, { once: true });
      // The task holds its slot until the caller releases it.
      void this.queue
        .add(async () => {
          signal?.removeEventListener("abort", onAbort);
          if (!waiting) return; // Given up while queued: pass the slot on at once.
          leave();
          const t0 = performance.now();
          await new Promise<void>((done) => {
            let released = false;
            resolve(() => {
              if (released) return;
              released = true;
              this.avgMs = this.avgMs * 0.8 + (performance.now() - t0) * 0.2;
              done();
            });
          });
        })
        .catch(() => {});
    });
  }
}
