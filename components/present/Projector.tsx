"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { beatIndex, beatsOf, clampFont, describeBeat, FONT, nextFont } from "@/lib/classroom/deck";
import { LiveDock } from "@/components/live/LiveDock";
import { GoToMenu } from "./GoToMenu";
import { RecordedLoader } from "./RecordedLoader";
import { SlideBeat } from "./SlideBeat";
import { TitleSlide } from "./TitleSlide";
import { useStoredLesson } from "@/components/useStored";
import { usePresentKeys } from "./usePresentDeck";
import { usePresentWindow } from "./usePresentWindow";

const FONT_KEY = "cwm-present-code-px";
const BUTTON = "rounded border border-slate-500 px-2 py-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800";

/** The code size, remembered per browser (a room's projector keeps its setting). */
function useCodeSize(): [number, (delta: 1 | -1) => void] {
  const [px, setPx] = useState<number>(FONT.default);
  useEffect(() => {
    try {
      const stored = localStorage.getItem(FONT_KEY);
      if (stored !== null) setPx(clampFont(Number(stored)));
    } catch {
      // Storage may be disabled: the default size it is.
    }
  }, []);
  const change = useCallback((delta: 1 | -1) => {
    setPx((p) => {
      const n = nextFont(p, delta);
      try {
        localStorage.setItem(FONT_KEY, String(n));
      } catch {
        // Not remembered, still applied.
      }
      return n;
    });
  }, []);
  return [px, change];
}

function toggleFullscreen() {
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
  else void document.documentElement.requestFullscreen?.().catch(() => {});
}

/**
 * `/present/<id>`: the projector window. A clicker walks the beats (lib/classroom/deck.ts); the
 * presenter view (`/notes`) in another window follows and leads through a BroadcastChannel.
 */
export function Projector({ id, title, shape }: { id: string; title: string; shape: number[] }) {
  const lesson = useStoredLesson(id);
  const { state, dispatch, recorded, load } = usePresentWindow(id, shape);
  const [fontPx, changeFont] = useCodeSize();
  const main = useRef<HTMLElement>(null);
  usePresentKeys(dispatch, (cmd) => (cmd.type === "fullscreen" ? toggleFullscreen() : changeFont(cmd.delta)));
  // Set after the key listener's effect has run: tests (and nothing else) wait for it.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  // A live session moves the deck to the question it asks (components/live/LiveDock.tsx).
  const followLive = useCallback(
    (slide: number, question: number) => dispatch({ type: "goto", beat: { kind: "question", slide, question, stage: "question" } }),
    [dispatch],
  );

  const beat = state.beat;
  const total = beatsOf(shape).length;
  const at = beatIndex(shape, beat);
  const slide = beat.kind === "title" ? undefined : lesson.data?.slides[beat.slide];
  const openNotes = () => window.open(`/present/${encodeURIComponent(id)}/notes`, `cwm-present-notes-${id}`, "popup=yes,width=1100,height=760");

  return (
    <div className="flex h-dvh flex-col overflow-hidden">
      <header className="flex shrink-0 flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-300 px-4 py-1.5 dark:border-slate-700">
        <h1 className="max-w-[24ch] truncate font-semibold">{title}</h1>
        <span className="text-sm text-slate-700 dark:text-slate-300" data-testid="beat-description">
          {describeBeat(shape, beat)}
        </span>
        {state.typed && <span className="text-sm">Go to slide {state.typed}… (Enter)</span>}
        <span className="flex-1" />
        <GoToMenu
          beat={beat}
          shape={shape}
          lesson={lesson.data}
          onGo={(b) => {
            dispatch({ type: "goto", beat: b });
            main.current?.focus();
          }}
        />
        <span className="flex items-center gap-1 text-sm">
          <button type="button" className={BUTTON} onClick={() => changeFont(-1)}>
            A−<span className="sr-only"> smaller code (− key)</span>
          </button>
          <span data-testid="code-size">{fontPx} px</span>
          <button type="button" className={BUTTON} onClick={() => changeFont(1)}>
            A+<span className="sr-only"> larger code (+ key)</span>
          </button>
        </span>
        <button type="button" className={BUTTON} onClick={openNotes}>
          Presenter view
        </button>
        <button type="button" className={BUTTON} onClick={toggleFullscreen}>
          Full screen<span className="sr-only"> (F key)</span>
        </button>
        <button type="button" className={BUTTON} onClick={() => dispatch({ type: "back" })} disabled={at <= 0}>
          <span aria-hidden>◀</span>
          <span className="sr-only">Back (PageUp)</span>
        </button>
        <button type="button" className={BUTTON} onClick={() => dispatch({ type: "next" })} disabled={at >= total - 1}>
          <span aria-hidden>▶</span>
          <span className="sr-only">Next (PageDown)</span>
        </button>
      </header>
      <p className="sr-only" aria-live="polite">
        {describeBeat(shape, beat)}
      </p>
      <div className="flex min-h-0 flex-1 flex-col md:flex-row">
        <main ref={main} tabIndex={-1} className="min-h-0 min-w-0 flex-1 focus:outline-none" data-testid="projector" data-ready={ready ? "" : undefined}>
          {beat.kind === "title" ? (
            <div className="flex h-full flex-col">
              <div className="min-h-0 flex-1">
                <TitleSlide id={id} title={title} slideCount={shape.length} />
              </div>
              <div className="flex shrink-0 justify-center pb-3">
                <RecordedLoader recorded={recorded} onLoad={load} />
              </div>
            </div>
          ) : lesson.error ? (
            <p role="alert" className="p-6 text-2xl">
              Could not load the lesson: {lesson.error.message}
            </p>
          ) : !slide ? (
            <p className="p-6 text-2xl">Loading the lesson…</p>
          ) : (
            <SlideBeat slide={slide} beat={beat} slideCount={shape.length} fontPx={fontPx} recorded={recorded} />
          )}
        </main>
        <LiveDock lesson={lesson.data} onTitle={beat.kind === "title"} onQuestionChange={followLive} />
      </div>
      {state.blank && (
        <div className="fixed inset-0 z-50 bg-black" data-testid="blank-screen" onClick={() => dispatch({ type: "toggleBlank" })}>
          <span className="sr-only">The screen is blank. Press B to show the slide again.</span>
        </div>
      )}
    </div>
  );
}
