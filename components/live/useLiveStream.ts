"use client";
import { useEffect } from "react";
import { LiveEvent } from "@/lib/live/protocol";
import { openLiveStream, type StreamStatus } from "@/lib/live/client/stream";

/**
 * Holds the session's event stream open while the page is mounted, delivering events parsed
 * against the protocol's union. A phone that wakes up or comes back online
 * reconnects at once instead of waiting out its backoff. `active` false closes it for good
 * (the session ended: the server would only answer 410 again).
 */
export function useLiveStream(sessionId: string, onEvent: (e: LiveEvent) => void, onStatus: (s: StreamStatus) => void, active = true): void {
  useEffect(() => {
    if (!active) return;
    const stream = openLiveStream({
      url: `/api/live/${encodeURIComponent(sessionId)}/events`,
      schema: LiveEvent,
      onEvent,
      onStatus,
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
  }, [sessionId, onEvent, onStatus, active]);
}

/** The connection in words, or null when all is well. */
export function connectionText(s: StreamStatus): string | null {
  switch (s.kind) {
    case "open":
      return null;
    case "connecting":
      return "connecting…";
    case "reconnecting":
      return `reconnecting… (${s.why})`;
    case "closed":
      return `disconnected: ${s.message}`;
  }
}
