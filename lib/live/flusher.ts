/**
 * Coalesces the events that follow joins: within `delayMs` of the first one, a single
 * transaction writes the teacher's histogram with the new participant count (store.ts
 * writeAnswerEvents). A class joining at once costs a few writes, not one per join. Answers
 * carry their own events in their group commit (answer-batch.ts).
 */
import "server-only";
import type { LiveHub } from "./hub";
import { writeAnswerEvents } from "./store";

interface Pending {
  dirty: boolean;
  timer: ReturnType<typeof setTimeout> | null;
  running: boolean;
}

export class AnswerFlusher {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly hub: LiveHub,
    private readonly delayMs: number,
  ) {}

  /** A join changed what the teacher sees. */
  mark(sessionId: string): void {
    let p = this.pending.get(sessionId);
    if (!p) {
      p = { dirty: false, timer: null, running: false };
      this.pending.set(sessionId, p);
    }
    p.dirty = true;
    this.schedule(sessionId, p);
  }

  private schedule(sessionId: string, p: Pending): void {
    if (p.timer || p.running) return;
    p.timer = setTimeout(() => void this.flush(sessionId, p), this.delayMs);
  }

  private async flush(sessionId: string, p: Pending): Promise<void> {
    p.timer = null;
    p.running = true;
    p.dirty = false;
    try {
      this.hub.published(sessionId, await writeAnswerEvents(sessionId));
    } catch (err) {
      console.error(`live: writing the answer events of session ${sessionId} failed`, err);
    } finally {
      p.running = false;
      if (p.dirty) this.schedule(sessionId, p);
      else this.pending.delete(sessionId);
    }
  }

  /** Waits until nothing is pending (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await new Promise((r) => setTimeout(r, this.delayMs));
  }
}
