"use client";
import { useEffect } from "react";
import { LiveEvent } from "@/lib/live/protocol";
import { openLiveStream, type StreamStatus } from "@/lib/live/client/stream";

/** What the stream tells a page's reducer (the teacher's and the student's take the same two actions). */
type StreamAction = { type: "event"; event: LiveEvent } | { type: "status"; status: StreamStatus };

/**
 * Holds the session's event stream open while the page is mounted, dispatching events parsed
 * against the protocol's union and the connection's status. A phone that wakes up or comes back online
 * reconnects at once instead of waiting out its backoff. `active` false closes it for good
 * (the session ended: the server would only answer 410 again).
 */
export function useLiveStream(sessionId: string, dispatch: (a: StreamAction) => void, active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const stream = openLiveStream({
      url: `/api/live/${encodeURIComponent(sessionId)}/events`,
      schema: LiveEvent,
      onEvent: (event) => dispatch({ type: "event", event }),
      onStatus: (status) => dispatch({ type: "status", status }),
    });
    const wake = () => {
      if (document.visibilityState === "visible") stream.wake();
    };
    document.addEventListener("visibilitychange", wake);
    window.addEventListener("online", wake);
    window.addEventListener("pageshow", wake);
    return () => {
      document.removeEventListener("visibilitychange", wake);
      window.removeEventListener("online", wake);
      window.removeEventListener("pageshow", wake);
      stream.close();
    };
  }, [sessionId, dispatch, active]);
}

/** What the teacher's and the student's screens hold of their stream. */
interface LiveScreen {
  conn: StreamStatus;
  view: { kind: "waiting" | "gone" } | { kind: "live"; state: { phase: string } };
}

/** Whether the session on screen has ended: its stream then stays closed (the server would only answer 410). */
export function hasEnded(s: LiveScreen): boolean {
  return s.view.kind === "live" && s.view.state.phase === "ended";
}

/** The connection in words while it matters (connecting, or a session still running); "" when all is well. */
export function connectionText(s: LiveScreen): string {
  if (s.view.kind === "gone" || hasEnded(s)) return "";
  switch (s.conn.kind) {
    case "open":
      return "";
    case "connecting":
      return "connecting…";
    case "reconnecting":
      return `reconnecting… (${s.conn.why})`;
    case "closed":
      return `disconnected: ${s.conn.message}`;
  }
}
