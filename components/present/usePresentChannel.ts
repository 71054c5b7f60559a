"use client";
import { useEffect, useState } from "react";
import { PresentMessage, presentChannelName } from "@/lib/classroom/deck";

/** The lesson's presentation channel as one window sees it: post a message, or listen to the parsed ones. */
export interface PresentChannel {
  post(m: PresentMessage): void;
  listen(fn: (m: PresentMessage) => void): () => void;
}

/**
 * One BroadcastChannel per presentation window, shared by the deck and the recorded
 * predictions: every message is parsed once, and a window that opens says hello once (each
 * listener answers it with what it holds).
 */
export function usePresentChannel(lessonId: string, self: string): PresentChannel {
  const [hub] = useState(() => {
    const listeners = new Set<(m: PresentMessage) => void>();
    let channel: BroadcastChannel | null = null;
    return {
      listeners,
      attach(ch: BroadcastChannel | null) {
        channel = ch;
      },
      post(m: PresentMessage) {
        channel?.postMessage(m);
      },
      listen(fn: (m: PresentMessage) => void) {
        listeners.add(fn);
        return () => void listeners.delete(fn);
      },
    };
  });

  useEffect(() => {
    if (typeof BroadcastChannel === "undefined") return;
    const ch = new BroadcastChannel(presentChannelName(lessonId));
    hub.attach(ch);
    ch.onmessage = (e: MessageEvent<unknown>) => {
      const m = PresentMessage.safeParse(e.data);
      if (m.success) for (const fn of [...hub.listeners]) fn(m.data);
    };
    ch.postMessage({ type: "hello", by: self } satisfies PresentMessage);
    return () => {
      hub.attach(null);
      ch.close();
    };
  }, [lessonId, self, hub]);

  return hub;
}
