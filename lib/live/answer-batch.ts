/**
 * Group commit for answers. Answers to a session that arrive while its previous batch is being
 * written (or within the same turn of the event loop) are written together in one transaction
 * (store.ts storeAnswers); each request is settled only after the commit that holds it, so an
 * acknowledged answer is stored. A failed commit fails every request in it (and stores none).
 * Joins ride the same batches: a join only marks the session, and the next batch writes the
 * teacher's histogram with the new participant count, answers or not (a class joining at once
 * costs a few writes, not one per join).
 */
import "server-only";
import type { AppError } from "@/lib/http/errors";
import type { LiveHub } from "./hub";
import type { AnswerItem, StoredEvent } from "./store";

export type WriteAnswers = (sessionId: string, items: AnswerItem[], joined: boolean) => Promise<{ refused: Map<number, AppError>; events: StoredEvent[] }>;

interface Waiting {
  item: AnswerItem;
  resolve(): void;
  reject(err: unknown): void;
}

interface Queue {
  waiting: Waiting[];
  /** Someone joined since the last batch was taken: the next one writes the counts even without answers. */
  joined: boolean;
  busy: boolean;
}

/** A batch this large is written at once, whatever else is queued (bounds a transaction's size). */
const MAX_BATCH = 500;

export class AnswerBatcher {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly hub: LiveHub,
    private readonly writeAnswers: WriteAnswers,
  ) {}

  /** Resolves once the answer is committed; rejects with its refusal (409/410) or the commit's failure. */
  submit(sessionId: string, item: AnswerItem): Promise<void> {
    const queue = this.queueOf(sessionId);
    return new Promise<void>((resolve, reject) => {
      queue.waiting.push({ item, resolve, reject });
      this.start(sessionId, queue);
    });
  }

  /** A join changed what the teacher sees: the next batch writes the new participant count. */
  joined(sessionId: string): void {
    const queue = this.queueOf(sessionId);
    queue.joined = true;
    this.start(sessionId, queue);
  }

  private queueOf(sessionId: string): Queue {
    let q = this.queues.get(sessionId);
    if (!q) {
      q = { waiting: [], joined: false, busy: false };
      this.queues.set(sessionId, q);
    }
    return q;
  }

  private start(sessionId: string, q: Queue): void {
    if (q.busy) return;
    q.busy = true;
    // The rest of this turn's requests (a room answering or joining at once) join the same batch.
    setImmediate(() => void this.drain(sessionId, q));
  }

  private async drain(sessionId: string, q: Queue): Promise<void> {
    while (q.waiting.length > 0 || q.joined) {
      const batch = q.waiting.splice(0, MAX_BATCH);
      const joined = q.joined;
      q.joined = false;
      let written: Awaited<ReturnType<WriteAnswers>>;
      try {
        written = await this.writeAnswers(
          sessionId,
          batch.map((w) => w.item),
          joined,
        );
      } catch (err) {
        // With no request to answer, only the log hears of it; any later batch's histogram carries the count.
        if (batch.length === 0) console.error(`live: writing the answer events of session ${sessionId} failed`, err);
        for (const w of batch) w.reject(err);
        continue;
      }
      // Committed: whatever happens to the fan-out now, these answers are stored and are acknowledged.
      try {
        this.hub.published(sessionId, written.events);
      } catch (err) {
        console.error(`live: handing the answer events of session ${sessionId} to the streams failed`, err);
      }
      batch.forEach((w, i) => {
        const why = written.refused.get(i);
        if (why) w.reject(why);
        else w.resolve();
      });
    }
    q.busy = false;
    if (this.queues.get(sessionId) === q) this.queues.delete(sessionId);
  }

  /** Waits until no batch is queued or being written (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await new Promise((r) => setTimeout(r, 5));
  }
}
