/**
 * One dedicated LISTEN connection per instance (PostgreSQL only): another instance's commit
 * of session events arrives as `<session id>:<seq>` and the hub reads the rows it lacks. A
 * dropped connection is reopened with a growing pause, then every watched session is checked,
 * so what was notified while it was down is read too.
 */
import "server-only";
import pg from "pg";
import type { LiveHub } from "./hub";
import { NOTIFY_CHANNEL } from "./store";

export interface Listener {
  /** Resolves once LISTEN is in place (the first time). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

const PAYLOAD = /^([A-Za-z0-9_-]{16,64}):(\d{1,15})$/;

export function listenForEvents(url: string, hub: LiveHub): Listener {
  let client: pg.Client | null = null;
  let stopped = false;
  let pause = 250;
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));

  const connect = async (): Promise<void> => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url, application_name: "cwm-live-listen" });
    client = c;
    let retried = false;
    const retry = () => {
      if (retried || stopped) return;
      retried = true;
      client = null;
      c.removeAllListeners();
      c.on("error", () => {});
      void c.end().catch(() => {});
      setTimeout(() => void connect(), pause).unref?.();
      pause = Math.min(pause * 2, 10_000);
    };
    c.on("error", (err) => {
      console.error(`live: LISTEN connection failed (${err.message}); reconnecting`);
      retry();
    });
    c.on("end", retry);
    c.on("notification", (msg) => {
      if (msg.channel !== NOTIFY_CHANNEL || !msg.payload) return;
      const m = PAYLOAD.exec(msg.payload);
      if (m) hub.notified(m[1], Number(m[2]));
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${NOTIFY_CHANNEL}`);
      pause = 250;
      resolveReady();
      await hub.check();
    } catch (err) {
      console.error(`live: cannot LISTEN (${err instanceof Error ? err.message : String(err)}); retrying`);
      retry();
    }
  };
  void connect();

  return {
    ready,
    close: async () => {
      stopped = true;
      const c = client;
      client = null;
      if (c) {
        c.removeAllListeners();
        c.on("error", () => {});
        await c.end().catch(() => {});
      }
    },
  };
}
