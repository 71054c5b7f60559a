"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import {
  deckReducer,
  initialDeck,
  keyCommand,
  PresentMessage,
  presentChannelName,
  type DeckAction,
  type DeckShape,
  type DeckState,
  type KeyCommand,
} from "@/lib/classroom/deck";

function windowId(): string {
  // crypto.randomUUID needs a secure context; a class may open the app over plain http on a LAN.
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === "function") return c.randomUUID().replace(/-/g, "").slice(0, 16);
  return Math.random().toString(36).slice(2, 18);
}

/**
 * The deck of one window, kept in step with the lesson's other presentation windows through a
 * BroadcastChannel: each local move is posted as the new state; a window that opens says hello
 * and the others answer with theirs. Every message is parsed; anything else is dropped.
 */
export function usePresentDeck(lessonId: string, shape: DeckShape): { state: DeckState; dispatch: (a: DeckAction) => void } {
  const [state, setState] = useState(() => initialDeck(windowId()));
  const ref = useRef(state);
  const channel = useRef<BroadcastChannel | null>(null);
  const shapeRef = useRef(shape);
  shapeRef.current = shape;

  const post = useCallback((s: DeckState) => {
    channel.current?.postMessage({ type: "state", beat: s.beat, blank: s.blank, rev: s.rev, by: s.by } satisfies PresentMessage);
  }, []);

  const dispatch = useCallback(
    (action: DeckAction) => {
      const prev = ref.current;
      const next = deckReducer(shapeRef.current, prev, action);
      if (next === prev) return;
      ref.current = next;
      setState(next);
      if (action.type !== "sync" && next.rev !== prev.rev) post(next);
    },
    [post],
  );

  useEffect(() => {
    if (typeof BroadcastChannel === "undefined") return;
    const ch = new BroadcastChannel(presentChannelName(lessonId));
    channel.current = ch;
    ch.onmessage = (e: MessageEvent<unknown>) => {
      const m = PresentMessage.safeParse(e.data);
      if (!m.success) return;
      if (m.data.type === "hello") post(ref.current);
      else if (m.data.type === "state") dispatch({ type: "sync", beat: m.data.beat, blank: m.data.blank, rev: m.data.rev, by: m.data.by });
    };
    ch.postMessage({ type: "hello", by: ref.current.self } satisfies PresentMessage);
    return () => {
      ch.close();
      channel.current = null;
    };
  }, [lessonId, dispatch, post]);

  return { state, dispatch };
}

/** Keys typed into a field or a menu belong to it; Space and Enter on a button press the button. */
function ownsKey(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName)) return true;
  return (key === " " || key === "Enter") && (target.tagName === "BUTTON" || target.tagName === "A" || target.tagName === "SUMMARY");
}

/** The clicker and keyboard of a presentation window; `other` handles full screen and code size. */
export function usePresentKeys(dispatch: (a: DeckAction) => void, other: (c: Exclude<KeyCommand, { type: "deck" }>) => void) {
  const otherRef = useRef(other);
  otherRef.current = other;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || ownsKey(e.target, e.key)) return;
      const cmd = keyCommand(e.key);
      if (!cmd) return;
      e.preventDefault();
      if (cmd.type === "deck") dispatch(cmd.action);
      else otherRef.current(cmd);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [dispatch]);
}
