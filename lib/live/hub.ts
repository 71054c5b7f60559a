/**
 * The in-process fan-out of session events to this instance's streams. Events are written to
 * the database first (store.ts); the hub only moves them to subscribers, in seq order, once.
 * - Events this instance wrote arrive with `published` (no read needed when they follow on).
 * - Events another instance wrote arrive as a PostgreSQL NOTIFY (`<session>:<seq>`, see
 *   pg-listener.ts) and are read from the database.
 * Whenever the hub sees a seq beyond what it delivered, it reads the gap from the database,
 * so a notification that overtakes another, or one lost while LISTEN reconnected, costs a
 * read, never an event.
 */
import "server-only";
import { currentSeqs, eventsAfter, type StoredEvent } from "./store";

export interface Subscriber {
  /** Called in seq order, at most once per event; the subscriber filters by audience. */
  push(e: StoredEvent): void;
  /** The instance is shutting down: end the stream (the client resumes elsewhere with Last-Event-ID). */
  end(): void;
}

interface Room {
  subs: Set<Subscriber>;
  /** Highest seq handed to subscribers; null until the first subscriber has read its start. */
  delivered: number | null;
  /** Highest seq known to exist. */
  target: number;
  pumping: boolean;
}

export class LiveHub {
  private readonly rooms = new Map<string, Room>();

  /** Sessions with a subscriber on this instance (the listener's and the checker's work list). */
  sessions(): string[] {
    return [...this.rooms.keys()];
  }

  subscribers(sessionId: string): number {
    return this.rooms.get(sessionId)?.subs.size ?? 0;
  }

  /**
   * Registers before the subscriber reads its starting point, so nothing written meanwhile is
   * missed; `ready(seq)` then says up to which seq the start covered.
   */
  subscribe(sessionId: string, sub: Subscriber): { ready(seq: number): void; close(): void } {
    let room = this.rooms.get(sessionId);
    if (!room) {
      room = { subs: new Set(), delivered: null, target: 0, pumping: false };
      this.rooms.set(sessionId, room);
    }
    room.subs.add(sub);
    const r = room;
    return {
      ready: (seq) => {
        if (r.delivered === null) r.delivered = seq;
        r.target = Math.max(r.target, seq);
        void this.pump(sessionId, r);
      },
      close: () => {
        r.subs.delete(sub);
        if (r.subs.size === 0 && this.rooms.get(sessionId) === r) this.rooms.delete(sessionId);
      },
    };
  }

  /** Events this instance just committed (in seq order). */
  published(sessionId: string, events: StoredEvent[]): void {
    const room = this.rooms.get(sessionId);
    if (!room || events.length === 0) return;
    const last = events[events.length - 1].seq;
    room.target = Math.max(room.target, last);
    if (room.delivered !== null && !room.pumping && events[0].seq === room.delivered + 1) {
      this.dispatch(room, events);
      return;
    }
    void this.pump(sessionId, room);
  }

  /** Some instance committed events up to `seq` (a NOTIFY, or a periodic check). */
  notified(sessionId: string, seq: number): void {
    const room = this.rooms.get(sessionId);
    if (!room || seq <= room.target) return;
    room.target = seq;
    void this.pump(sessionId, room);
  }

  /** Ends every stream on this instance (shutdown: an open stream would keep the server from closing). */
  endAll(): void {
    for (const room of [...this.rooms.values()]) for (const s of [...room.subs]) s.end();
  }

  /** Asks the database where every watched session is: the safety net under LISTEN. */
  async check(): Promise<void> {
    try {
      for (const [id, seq] of await currentSeqs(this.sessions())) this.notified(id, seq);
    } catch (err) {
      console.error("live: checking the watched sessions' seqs failed", err);
    }
  }

  private dispatch(room: Room, events: StoredEvent[]): void {
    for (const e of events) {
      if (room.delivered !== null && e.seq <= room.delivered) continue;
      room.delivered = e.seq;
      for (const s of room.subs) s.push(e);
    }
  }

  private async pump(sessionId: string, room: Room): Promise<void> {
    if (room.pumping) return;
    room.pumping = true;
    try {
      while (room.delivered !== null && room.target > room.delivered && this.rooms.get(sessionId) === room) {
        const from = room.delivered;
        const rows = await eventsAfter(sessionId, from, undefined, room.target);
        if (rows.length === 0) {
          // Not visible yet (a notification can only follow a commit, so this is a stale target): stop.
          room.target = room.delivered;
          break;
        }
        this.dispatch(room, rows);
      }
    } catch (err) {
      console.error(`live: reading events of session ${sessionId} failed`, err);
    } finally {
      room.pumping = false;
    }
  }
}
