"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { parseRecorded, type RecordedSet } from "@/lib/classroom/recorded";
import type { PresentChannel } from "./usePresentChannel";

/**
 * Recorded predictions shared by the lesson's presentation windows: loaded in one, parsed in
 * each (the file's text crosses the channel, never the network). A window that opens later gets
 * them in answer to its hello.
 */
export function usePresentRecorded(channel: PresentChannel): { recorded: RecordedSet | null; load: (file: { text: string; set: RecordedSet }) => void } {
  const [recorded, setRecorded] = useState<RecordedSet | null>(null);
  // The text as read, to pass on to a window that opens later (a resource, not screen state).
  const source = useRef<{ text: string; fileName: string } | null>(null);

  const send = useCallback(() => {
    if (source.current) channel.post({ type: "recorded", ...source.current });
  }, [channel]);

  const load = useCallback(
    ({ text, set }: { text: string; set: RecordedSet }) => {
      setRecorded(set);
      source.current = { text, fileName: set.fileName };
      send();
    },
    [send],
  );

  useEffect(
    () =>
      channel.listen((m) => {
        if (m.type === "hello") send();
        else if (m.type === "recorded") {
          try {
            setRecorded(parseRecorded(m.text, m.fileName));
            source.current = { text: m.text, fileName: m.fileName };
          } catch {
            // The sending window showed the error already.
          }
        }
      }),
    [channel, send],
  );

  return { recorded, load };
}
