"use client";
import { useCallback, useEffect, useMemo, useReducer, useState } from "react";
import { questionPrompt } from "@/lib/classroom/answers";
import { fetchJson } from "@/lib/http/client";
import { ControlResponse, type ControlBody, type LivePhase, type TeacherState } from "@/lib/live/protocol";
import type { StoredLesson } from "@/lib/storage/lesson-schema";
import { QrCode } from "@/components/classroom/QrCode";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "@/components/Toolbar";
import { LiveHistogram } from "./LiveHistogram";
import { LiveSummary } from "./LiveSummary";
import { PromptText } from "@/components/classroom/PromptText";
import { allowedActions, initialTeacher, teacherReducer, type TeacherScreen } from "@/lib/live/client/teacher-state";
import { connectionText, hasEnded, useLiveStream } from "./useLiveStream";
import { useSandboxNormaliser } from "@/components/classroom/useSandboxNormaliser";

const PHASE_TEXT: Record<LivePhase, string> = {
  lobby: "Not open yet",
  open: "Open: students are answering",
  locked: "Locked: no more answers",
  revealed: "Revealed",
  ended: "The session has ended",
};

export function TeacherLive({
  lesson,
  sessionId,
  onQuestionChange,
}: {
  lesson: StoredLesson;
  sessionId: string;
  onQuestionChange?: (slide: number, question: number) => void;
}) {
  const [s, dispatch] = useReducer(teacherReducer, initialTeacher);
  useLiveStream(sessionId, dispatch, !hasEnded(s));
  const sandbox = useSandboxNormaliser();

  // The deck follows the session's question (only when it has one: a slide without questions is the deck's own business).
  const asked = s.view.kind === "live" && s.view.state.info !== null;
  const slide = s.view.kind === "live" ? s.view.state.slide : -1;
  const question = s.view.kind === "live" ? s.view.state.question : -1;
  useEffect(() => {
    if (asked) onQuestionChange?.(slide, question);
  }, [asked, slide, question, onQuestionChange]);

  const control = useCallback(
    async (body: ControlBody) => {
      dispatch({ type: "control/start", action: body.action });
      try {
        const res = await fetchJson(`/api/live/${encodeURIComponent(sessionId)}/control`, { method: "POST", json: body }, ControlResponse);
        dispatch({ type: "control/ok", state: res.state });
      } catch (err) {
        dispatch({ type: "control/fail", message: err instanceof Error ? err.message : String(err) });
      }
    },
    [sessionId],
  );

  return (
    <section aria-label="Live session" className="flex flex-col gap-4 rounded-lg border border-slate-400 p-3 dark:border-slate-600" data-testid="teacher-panel">
      <p role="status" className="text-sm font-semibold empty:hidden">
        {connectionText(s)}
      </p>
      {s.view.kind === "waiting" && <p>Connecting to the live session…</p>}
      {s.view.kind === "gone" && (
        <div role="alert">
          <p className="text-lg font-bold">
            {s.view.status === 401 || s.view.status === 403
              ? "This browser cannot run this session: the teacher's key is kept in the browser that started it."
              : s.view.status === 410
                ? "This session has ended."
                : "There is no such live session."}
          </p>
          <p>The server said: {s.view.message}</p>
        </div>
      )}
      {s.view.kind === "live" && <Live s={s} state={s.view.state} lesson={lesson} sessionId={sessionId} control={control} normalise={sandbox.normalise} />}
    </section>
  );
}

type Normalise = ReturnType<typeof useSandboxNormaliser>["normalise"];

function Live({
  s,
  state,
  lesson,
  sessionId,
  control,
  normalise,
}: {
  s: TeacherScreen;
  state: TeacherState;
  lesson: StoredLesson;
  sessionId: string;
  control: (b: ControlBody) => void;
  normalise: Normalise;
}) {
  return (
    <>
      {state.phase !== "ended" && <JoinBox code={state.code} joinUrl={state.joinUrl} compact={state.phase !== "lobby"} />}
      <p className="text-xl font-semibold" aria-live="polite" data-testid="live-counts">
        {state.participants} joined · {state.answered} answered
      </p>
      <div className="flex flex-col gap-1">
        <p className="text-sm">
          Slide {state.slide + 1} of {state.slides}
          {state.info ? ` · question ${state.question + 1} of ${state.questions}` : " · no question on this slide"} ·{" "}
          <span className="font-semibold" data-testid="live-phase">
            {PHASE_TEXT[state.phase]}
          </span>
        </p>
        {state.info && (
          <p className="text-2xl font-bold">
            <PromptText text={state.info.prompt} />
          </p>
        )}
      </div>
      <Controls state={state} lesson={lesson} busy={s.control.kind === "sending"} control={control} />
      {s.control.kind === "failed" && (
        <p role="alert" className="font-semibold text-red-800 dark:text-red-300">
          {s.control.message}
        </p>
      )}
      {state.info && <LiveHistogram state={state} normalise={normalise} />}
      <LiveSummary sessionId={sessionId} lesson={lesson} ended={state.phase === "ended"} normalise={normalise} />
    </>
  );
}

/** Large while the class joins; smaller once a question is open, still there for latecomers. */
function JoinBox({ code, joinUrl, compact }: { code: string; joinUrl: string; compact: boolean }) {
  return (
    <div className="flex flex-wrap items-center gap-4" data-testid="join-box">
      <QrCode text={joinUrl} label={`QR code of the join link ${joinUrl}`} size={compact ? 120 : 200} />
      <div className="flex min-w-0 flex-col gap-1">
        <p className="text-lg">Join at</p>
        <p className="font-code text-lg break-all">{joinUrl.replace(/\?code=.*$/, "")}</p>
        <p className="text-lg">with the code</p>
        <p
          className={`font-code font-bold tracking-widest ${compact ? "text-4xl" : "text-6xl"}`}
          data-testid="join-code"
          aria-label={`join code ${code.split("").join(" ")}`}
        >
          {code}
        </p>
      </div>
    </div>
  );
}

interface QuestionRef {
  slide: number;
  question: number;
  label: string;
}

function Controls({ state, lesson, busy, control }: { state: TeacherState; lesson: StoredLesson; busy: boolean; control: (b: ControlBody) => void }) {
  const all = useMemo<QuestionRef[]>(
    () =>
      lesson.slides.flatMap((sl, i) =>
        sl.questions.map((q, j) => ({
          slide: i,
          question: j,
          label: `Slide ${i + 1}, question ${j + 1}: ${questionPrompt(q, sl.run).text.replaceAll("`", "")}`,
        })),
      ),
    [lesson],
  );
  const current = all.findIndex((r) => r.slide === state.slide && r.question === state.question);
  const [picked, setPicked] = useState<number | null>(null);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const ok = allowedActions(state);
  const chosen = picked ?? Math.max(0, current);
  const next = all[current + 1];

  if (state.phase === "ended") return null;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap gap-2">
        <button type="button" className={PRIMARY_BUTTON} disabled={busy || !ok.open} onClick={() => control({ action: "open" })}>
          {state.phase === "locked" ? "Reopen answers" : "Open answers"}
        </button>
        <button type="button" className={SECONDARY_BUTTON} disabled={busy || !ok.lock} onClick={() => control({ action: "lock" })}>
          Lock answers
        </button>
        <button type="button" className={SECONDARY_BUTTON} disabled={busy || !ok.reveal} onClick={() => control({ action: "reveal" })}>
          Reveal
        </button>
        {next && (
          <button
            type="button"
            className={SECONDARY_BUTTON}
            disabled={busy || !ok.goto}
            onClick={() => control({ action: "goto", slide: next.slide, question: next.question })}
          >
            Next question
          </button>
        )}
      </div>
      {all.length > 0 && (
        <div className="flex flex-wrap items-center gap-2">
          <label htmlFor="live-goto" className="text-sm font-semibold">
            Question
          </label>
          <select
            id="live-goto"
            className="min-h-11 max-w-full min-w-0 flex-1 rounded border border-slate-500 bg-white px-2 dark:bg-slate-900"
            value={chosen}
            onChange={(e) => setPicked(Number(e.target.value))}
          >
            {all.map((r, i) => (
              <option key={i} value={i}>
                {r.label}
              </option>
            ))}
          </select>
          <button
            type="button"
            className={SECONDARY_BUTTON}
            disabled={busy || !ok.goto || chosen === current}
            onClick={() => {
              const r = all[chosen];
              setPicked(null);
              control({ action: "goto", slide: r.slide, question: r.question });
            }}
          >
            Go to question
          </button>
        </div>
      )}
      <div className="flex flex-wrap items-center gap-2">
        {confirmEnd ? (
          <>
            <span className="font-semibold">End the session? The code stops working and answers close.</span>
            <button type="button" className={PRIMARY_BUTTON} disabled={busy} onClick={() => control({ action: "end" })}>
              Yes, end the session
            </button>
            <button type="button" className={SECONDARY_BUTTON} onClick={() => setConfirmEnd(false)}>
              Keep going
            </button>
          </>
        ) : (
          <button type="button" className={SECONDARY_BUTTON} disabled={busy || !ok.end} onClick={() => setConfirmEnd(true)}>
            End session…
          </button>
        )}
      </div>
    </div>
  );
}
