"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { PresentMessage, presentChannelName } from "@/lib/classroom/deck";
import { parseRecorded, type RecordedSet } from "@/lib/classroom/recorded";

/**
 * Recorded predictions shared by the lesson's presentation windows: loaded in one, parsed in
 * each (the file's text crosses the channel, never the network). A window that opens later gets
 * them in answer to its hello.
 */
export function usePresentRecorded(lessonId: string): { recorded: RecordedSet | null; load: (text: string, fileName: string) => void } {
  const [recorded, setRecorded] = useState<RecordedSet | null>(null);
  const source = useRef<{ text: string; fileName: string } | null>(null);
  const channel = useRef<BroadcastChannel | null>(null);

  const send = useCallback(() => {
    if (source.current) channel.current?.postMessage({ type: "recorded", ...source.current } satisfies PresentMessage);
  }, []);

  /** Throws (an Error naming the file and line) when the text is not a recording. */
  const load = useCallback(
    (text: string, fileName: string) => {
      setRecorded(parseRecorded(text, fileName));
      source.current = { text, fileName };
      send();
    },
    [send],
  );

  useEffect(() => {
    if (typeof BroadcastChannel === "undefined") return;
    const ch = new BroadcastChannel(presentChannelName(lessonId));
    channel.current = ch;
    ch.onmessage = (e: MessageEvent<unknown>) => {
      const m = PresentMessage.safeParse(e.data);
      if (!m.success) return;
      if (m.data.type === "hello") send();
      else if (m.data.type === "recorded") {
        try {
          setRecorded(parseRecorded(m.data.text, m.data.fileName));
          source.current = { text: m.data.text, fileName: m.data.fileName };
        } catch {
          // The sending window showed the error already.
        }
      }
    };
    return () => {
      ch.close();
      channel.current = null;
    };
  }, [lessonId, send]);

  return { recorded, load };
}
