"use client";
import { useEffect, useReducer } from "react";
import { expectedText, scoreAnswer, scoreModel, textsToNormalise } from "@/lib/classroom/answers";
import { fetchJson } from "@/lib/http/client";
import { AnswerResponse, LIVE_LIMITS, type ParticipantState } from "@/lib/live/protocol";
import { PRIMARY_BUTTON } from "@/components/Toolbar";
import { PromptText } from "@/components/classroom/PromptText";
import { CodeView } from "./QuestionView";
import { currentRef, draftText, initialStudent, storedAnswer, studentReducer, type StudentState } from "@/lib/live/client/student-state";
import { connectionText, hasEnded, useLiveStream } from "./useLiveStream";
import { useSandboxNormaliser } from "@/components/classroom/useSandboxNormaliser";

const BOX = "rounded-lg border-2 p-3";

/** /live/<id> on a student's phone: one column, big targets, the question and their answer. */
export function StudentLive({ sessionId }: { sessionId: string }) {
  const [s, dispatch] = useReducer(studentReducer, initialStudent);
  useLiveStream(sessionId, dispatch, !hasEnded(s));
  const sandbox = useSandboxNormaliser();
  useRevealScore(s, dispatch, sandbox.normalise);

  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-xl flex-col gap-4 px-4 py-4">
      <header className="flex flex-col gap-1">
        <p className="text-sm font-bold">CWM Playground · live class</p>
        {s.view.kind === "live" && <h1 className="text-2xl font-bold">{s.view.state.lessonTitle}</h1>}
        <p role="status" className="min-h-6 text-sm font-semibold" data-testid="live-connection">
          {connectionText(s)}
        </p>
      </header>
      {s.view.kind === "waiting" && <p className="text-lg">Connecting to the class…</p>}
      {s.view.kind === "gone" && <Gone status={s.view.status} message={s.view.message} />}
      {s.view.kind === "live" && <Live s={s} state={s.view.state} sessionId={sessionId} dispatch={dispatch} warm={sandbox.warm} />}
    </main>
  );
}

function Gone({ status, message }: { status: number; message: string }) {
  const text =
    status === 410
      ? "This session has ended."
      : status === 404
        ? "There is no live session here."
        : status === 401 || status === 403
          ? "This phone has not joined this session."
          : "The class could not be reached.";
  return (
    <section className={`${BOX} border-slate-500`} role="alert">
      <h2 className="text-xl font-bold">{text}</h2>
      <p className="mt-1">The server said: {message}</p>
      <a href="/join" className={`${PRIMARY_BUTTON} mt-3 inline-flex items-center`}>
        Join with a code
      </a>
    </section>
  );
}

type Dispatch = React.Dispatch<Parameters<typeof studentReducer>[1]>;

function Live({ s, state, sessionId, dispatch, warm }: { s: StudentState; state: ParticipantState; sessionId: string; dispatch: Dispatch; warm: () => void }) {
  if (state.phase === "ended")
    return (
      <section className={`${BOX} border-slate-500`} role="status">
        <h2 className="text-xl font-bold">The class has ended.</h2>
        <p className="mt-1">Thanks for taking part. You can close this page.</p>
      </section>
    );
  const info = state.info;
  const where = `Slide ${state.slide + 1} of ${state.slides}`;
  if (!info)
    return (
      <section className="flex flex-col gap-2">
        <p className="text-sm">{where}</p>
        <p className="text-lg">No question on this slide: watch the screen.</p>
      </section>
    );
  return (
    <section className="flex flex-col gap-4" aria-labelledby="live-prompt">
      <p className="text-sm">
        {where} · question {state.question + 1} of {state.questions}
      </p>
      <h2 id="live-prompt" className="text-2xl leading-snug font-bold" data-testid="live-prompt">
        <PromptText text={info.prompt} />
      </h2>
      <CodeView info={info} />
      <AnswerArea s={s} state={state} sessionId={sessionId} dispatch={dispatch} warm={warm} />
      {state.phase === "revealed" && state.reveal && <Reveal s={s} reveal={state.reveal} />}
    </section>
  );
}

function AnswerArea({
  s,
  state,
  sessionId,
  dispatch,
  warm,
}: {
  s: StudentState;
  state: ParticipantState;
  sessionId: string;
  dispatch: Dispatch;
  warm: () => void;
}) {
  const at = currentRef(s)!;
  const text = draftText(s);
  const stored = storedAnswer(s);
  const open = state.phase === "open";
  const sending = s.submit.kind === "sending";
  const tooLong = [...text.trim()].length > LIVE_LIMITS.answerChars;
  const kind = state.info!.kind;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const answer = text.trim();
    if (!open || sending || answer === "" || tooLong) return;
    dispatch({ type: "submit/start", at, answer });
    // Values are scored by this phone's Python after the reveal: start it while the class thinks.
    if (kind === "value" || kind === "return") warm();
    try {
      const res = await fetchJson(`/api/live/${encodeURIComponent(sessionId)}/answers`, { method: "POST", json: { ...at, answer } }, AnswerResponse);
      dispatch({ type: "submit/ok", at, answer: res.answer });
    } catch (err) {
      dispatch({ type: "submit/fail", at, message: err instanceof Error ? err.message : String(err) });
    }
  }

  const placeholder = kind === "next_line" ? "a line number" : kind === "halts" ? "yes or no" : "a Python value, e.g. [1, 2]";
  return (
    <form onSubmit={submit} className="flex flex-col gap-3">
      <label htmlFor="live-answer" className="text-lg font-semibold">
        Your answer
      </label>
      <input
        id="live-answer"
        className="font-code min-h-14 w-full rounded border-2 border-slate-500 bg-white px-3 text-2xl disabled:opacity-60 dark:bg-slate-900"
        value={text}
        onChange={(e) => dispatch({ type: "draft", text: e.target.value })}
        disabled={!open}
        placeholder={placeholder}
        autoComplete="off"
        autoCapitalize="off"
        autoCorrect="off"
        spellCheck={false}
        inputMode={kind === "next_line" ? "numeric" : "text"}
        aria-describedby="live-answer-status"
      />
      {open && (
        <button type="submit" className={`${PRIMARY_BUTTON} min-h-14 text-xl`} disabled={sending || text.trim() === "" || tooLong}>
          {sending ? "Sending…" : stored === null ? "Submit" : "Change answer"}
        </button>
      )}
      <div id="live-answer-status" aria-live="polite" className="text-lg" data-testid="live-answer-status">
        {tooLong && <p className="font-semibold">An answer has at most {LIVE_LIMITS.answerChars} characters.</p>}
        {s.submit.kind === "failed" && (
          <p role="alert" className="font-semibold text-red-800 dark:text-red-300">
            Not sent: {s.submit.message}
          </p>
        )}
        <StoredLine phase={state.phase} stored={stored} />
      </div>
    </form>
  );
}

function StoredLine({ phase, stored }: { phase: ParticipantState["phase"]; stored: string | null }) {
  const yours = stored !== null && (
    <>
      Your answer: <code className="font-code font-semibold">{stored}</code>
    </>
  );
  switch (phase) {
    case "lobby":
      return <p>Waiting for the teacher to open this question.</p>;
    case "open":
      return stored === null ? <p>Not answered yet.</p> : <p>{yours} (you can change it until the teacher locks)</p>;
    case "locked":
      return <p>Answers are locked. {stored === null ? "You did not answer." : yours}</p>;
    case "revealed":
      return stored === null ? <p>You did not answer this one.</p> : <p>{yours}</p>;
    default:
      return null;
  }
}

/** Exported for its tests: what a phone shows once the answer is revealed. */
export function Reveal({ s, reveal }: { s: StudentState; reveal: NonNullable<ParticipantState["reveal"]> }) {
  const stored = storedAnswer(s);
  const score = s.score;
  return (
    <section className={`${BOX} flex flex-col gap-2 border-slate-500`} aria-label="The answer" data-testid="live-reveal">
      <p className="text-lg">
        Reality: <code className="font-code font-bold">{reveal.real}</code>
      </p>
      {stored !== null && (
        <p className="text-xl font-bold" data-testid="live-verdict">
          {score === null
            ? "Checking your answer in your browser's Python…"
            : score.correct === null
              ? "There is nothing to score this answer against."
              : score.correct
                ? "✓ You were right."
                : "✗ Not this time."}
        </p>
      )}
      <p className="text-lg">
        {reveal.model ? (
          <>
            The model ({reveal.model.label}) said <code className="font-code font-bold">{reveal.model.answer}</code>
            {score?.model === true ? " — right." : score?.model === false ? " — wrong." : "."}
          </>
        ) : (
          "No model prediction for this slide: it was you against reality."
        )}
      </p>
    </section>
  );
}

/**
 * After the reveal, scores the stored answer and the model's against reality in this browser's
 * sandbox (one run for both), once per question and answer: the teacher's projector scores the
 * model the same way, so the two screens agree.
 */
function useRevealScore(s: StudentState, dispatch: Dispatch, normalise: (texts: readonly string[]) => Promise<ReadonlyMap<string, string | null>>) {
  const at = currentRef(s);
  const state = s.view.kind === "live" ? s.view.state : null;
  const stored = storedAnswer(s);
  const reveal = state?.phase === "revealed" ? state.reveal : null;
  const expected = reveal?.expected ?? null;
  const model = reveal?.model?.expected ?? null;
  const scored = s.score !== null && s.score.answer === stored;
  const slide = at?.slide ?? -1;
  const question = at?.question ?? -1;
  useEffect(() => {
    if (expected === null || scored || slide < 0) return;
    let live = true;
    const texts = new Set([...(stored === null ? [] : textsToNormalise(stored, expected)), ...(model ? textsToNormalise(expectedText(model), expected) : [])]);
    normalise([...texts]).then((norm) => {
      if (!live) return;
      dispatch({
        type: "score",
        at: { slide, question },
        answer: stored,
        correct: stored === null ? null : scoreAnswer(stored, expected, norm),
        model: model ? scoreModel(expected, model, norm) : null,
      });
    });
    return () => {
      live = false;
    };
  }, [expected, model, stored, scored, slide, question, normalise, dispatch]);
}
