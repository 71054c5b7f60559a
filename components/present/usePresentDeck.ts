"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import {
  deckReducer,
  initialDeck,
  keyCommand,
  type PresentMessage,
  type DeckAction,
  type DeckShape,
  type DeckState,
  type KeyCommand,
} from "@/lib/classroom/deck";
import type { PresentChannel } from "./usePresentChannel";

/**
 * The deck of one window, kept in step with the lesson's other presentation windows: each local
 * move is posted as the new state; a window that opens says hello and the others answer with theirs.
 */
export function usePresentDeck(channel: PresentChannel, self: string, shape: DeckShape): { state: DeckState; dispatch: (a: DeckAction) => void } {
  const [state, setState] = useState(() => initialDeck(self));
  const ref = useRef(state);
  const shapeRef = useRef(shape);
  shapeRef.current = shape;

  const post = useCallback(
    (s: DeckState) => channel.post({ type: "state", beat: s.beat, blank: s.blank, rev: s.rev, by: s.by } satisfies PresentMessage),
    [channel],
  );

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

  useEffect(
    () =>
      channel.listen((m) => {
        if (m.type === "hello") post(ref.current);
        else if (m.type === "state") dispatch({ type: "sync", beat: m.beat, blank: m.blank, rev: m.rev, by: m.by });
      }),
    [channel, dispatch, post],
  );

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
