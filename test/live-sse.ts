/**
 * A Server-Sent Events client for tests (Node fetch): keeps every byte received, parses
 * events as EventSource does (id, event, data), and waits for one that matches. Not a test file.
 */
import { LiveEvent } from "@/lib/live/protocol";

export interface ReceivedEvent {
  id: string | null;
  event: string;
  data: LiveEvent;
  at: number;
}

export class SseClient {
  raw = "";
  readonly events: ReceivedEvent[] = [];
  status = 0;
  private waiters: { pred: (e: ReceivedEvent) => boolean; resolve: (e: ReceivedEvent) => void }[] = [];
  private readonly abort = new AbortController();
  ended = false;
  private done!: Promise<void>;

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const c = new SseClient();
    const res = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: c.abort.signal });
    c.status = res.status;
    c.contentType = res.headers.get("content-type");
    if (!res.body || res.status !== 200) {
      c.raw = await res.text().catch(() => "");
      c.ended = true;
      return c;
    }
    c.done = c.read(res.body);
    return c;
  }

  contentType: string | null = null;

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buf = "";
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        const text = decoder.decode(chunk, { stream: true });
        this.raw += text;
        buf += text;
        let i: number;
        while ((i = buf.indexOf("\n\n")) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          this.parse(block);
        }
      }
    } catch {
      // aborted
    } finally {
      this.ended = true;
    }
  }

  private parse(block: string): void {
    let id: string | null = null;
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue;
      const [field, ...rest] = line.split(":");
      const value = rest.join(":").replace(/^ /, "");
      if (field === "id") id = value;
      else if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    if (data.length === 0) return;
    const e: ReceivedEvent = { id, event, data: LiveEvent.parse(JSON.parse(data.join("\n"))), at: performance.now() };
    if (e.data.type !== event) throw new Error(`event line ${event} but data type ${e.data.type}`);
    this.events.push(e);
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred(e)) return true;
      w.resolve(e);
      return false;
    });
  }

  /** The first event (already received or coming) that matches, or a rejection after `ms`. */
  waitFor(pred: (e: ReceivedEvent) => boolean, ms = 10_000, what = "an event"): Promise<ReceivedEvent> {
    const have = this.events.find(pred);
    if (have) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}; got ${this.events.map((e) => e.data.type).join(",")}`)), ms);
      this.waiters.push({
        pred,
        resolve: (e) => {
          clearTimeout(t);
          resolve(e);
        },
      });
    });
  }

  /** The id of the last event that had one (what EventSource would send as Last-Event-ID). */
  lastId(): string | null {
    for (let i = this.events.length - 1; i >= 0; i--) if (this.events[i].id !== null) return this.events[i].id;
    return null;
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done?.catch(() => {});
  }

  /** Resolves when the server ends the stream. */
  async closedByServer(ms = 5000): Promise<void> {
    await Promise.race([this.done, new Promise((_, rej) => setTimeout(() => rej(new Error("stream still open")), ms))]);
  }
}
