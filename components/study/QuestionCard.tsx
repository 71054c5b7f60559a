"use client";
import { useState, type FormEvent } from "react";
import type { ExecutorPhase } from "@/lib/executor/types";
import type { QuestionPrompt } from "@/lib/classroom/answers";
import type { QuestionState } from "@/lib/classroom/study";
import { MAX_ANSWER_CHARS } from "@/lib/classroom/study";
import type { Question } from "@/lib/storage/lesson-schema";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "../Toolbar";
import { PromptText } from "@/components/classroom/PromptText";
import { RevealPanel } from "./RevealPanel";

const INPUT =
  "font-code min-h-12 w-full min-w-0 rounded border-2 border-slate-500 bg-white px-3 text-xl dark:border-slate-400 dark:bg-slate-900";
const BIG_BUTTON = "min-h-12 px-5 text-lg";

function hintOf(kind: Question["kind"]): string {
  switch (kind) {
    case "value":
      return "Type the value as Python would show it, e.g. 6, 'ab', [1, 2].";
    case "next_line":
      return "Type a line number.";
    case "return":
      return "Type the value as Python would show it, or the exception's name if the call raises.";
    case "halts":
      return "Does it end, or does it run on forever?";
  }
}

function checkingText(phase: ExecutorPhase): string {
  if (phase.phase === "loading" || phase.phase === "restarting") return `Checking… (loading Python in your browser: ${Math.round(phase.progress * 100)}%)`;
  return "Checking…";
}

interface Props {
  questionKey: string;
  kind: Question["kind"];
  prompt: QuestionPrompt;
  state: QuestionState;
  phase: ExecutorPhase;
  /** Who answers for the model on this slide, said before the reveal (never the answer itself). */
  modelNote: string;
  onSubmit: (answer: string) => void;
  onReveal: () => void;
  /** The learner is about to answer: the interpreter starts loading. */
  onWarm: () => void;
}

/** One question: the prompt, the answer field (or Yes/No), then, once scored, the reveal. */
export function QuestionCard(props: Props) {
  const { kind, prompt, state } = props;
  const [draft, setDraft] = useState("");
  // Focus the verdict only when it arrives now, not when a reload restores it.
  const [prevStatus, setPrevStatus] = useState(state.status);
  const [arrived, setArrived] = useState(false);
  if (state.status !== prevStatus) {
    setPrevStatus(state.status);
    if (state.status === "scored" && prevStatus === "checking") setArrived(true);
  }
  const id = `answer-${props.questionKey.replace(":", "-")}`;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (draft.trim() !== "") props.onSubmit(draft);
  }

  return (
    <section aria-labelledby={`${id}-prompt`} className="mt-4 rounded-lg border-2 border-slate-400 p-3 sm:p-4 dark:border-slate-500">
      <h2 id={`${id}-prompt`} className="text-2xl font-bold leading-snug" data-testid="study-prompt">
        <PromptText text={prompt.text} />
      </h2>
      {state.status === "unanswered" && (
        <>
          <p className="mt-1 text-slate-700 dark:text-slate-300" id={`${id}-hint`}>
            {hintOf(kind)}
          </p>
          {kind === "halts" ? (
            <div className="mt-3 flex flex-wrap gap-3" role="group" aria-label="Your answer">
              <button type="button" className={`${PRIMARY_BUTTON} ${BIG_BUTTON}`} onClick={() => props.onSubmit("yes")} onFocus={props.onWarm}>
                Yes
              </button>
              <button type="button" className={`${PRIMARY_BUTTON} ${BIG_BUTTON}`} onClick={() => props.onSubmit("no")} onFocus={props.onWarm}>
                No
              </button>
            </div>
          ) : (
            <form className="mt-3 flex flex-col gap-3 sm:flex-row" onSubmit={submit}>
              <label htmlFor={id} className="sr-only">
                Your answer
              </label>
              <input
                id={id}
                className={INPUT}
                value={draft}
                onChange={(e) => setDraft(e.target.value)}
                onFocus={props.onWarm}
                maxLength={MAX_ANSWER_CHARS}
                aria-describedby={`${id}-hint`}
                autoComplete="off"
                autoCapitalize="off"
                autoCorrect="off"
                spellCheck={false}
                enterKeyHint="done"
                inputMode={kind === "next_line" ? "numeric" : "text"}
                placeholder="Your answer"
              />
              <button type="submit" className={`${PRIMARY_BUTTON} ${BIG_BUTTON}`} disabled={draft.trim() === ""}>
                Submit
              </button>
            </form>
          )}
          <p className="mt-3 text-sm text-slate-700 dark:text-slate-300" data-testid="study-model-note">
            {props.modelNote}
          </p>
          <button type="button" className={`${SECONDARY_BUTTON} mt-2`} onClick={props.onReveal}>
            Show answer
          </button>
        </>
      )}
      {state.status === "checking" && (
        <p role="status" className="mt-3 text-lg" data-testid="study-checking">
          {state.answer !== null && (
            <>
              Your answer: <code className="font-code break-all">{state.answer}</code>.{" "}
            </>
          )}
          {checkingText(props.phase)}
        </p>
      )}
      {state.status === "scored" && <RevealPanel q={state} focus={arrived} />}
    </section>
  );
}
