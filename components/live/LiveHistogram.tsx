"use client";
import { useEffect, useMemo, useState } from "react";
import { expectedText, scoreModel, textsToNormalise, type Normalised } from "@/lib/classroom/answers";
import type { TeacherState } from "@/lib/live/protocol";
import { regroup, textsOf } from "@/lib/live/client/histogram";

const EMPTY: Normalised = new Map();

/**
 * The class's answers to the current question as bars with their counts in words. Before
 * the reveal no bar is marked (the projector must not give the answer away); after it, the
 * bar reality agrees with says so in text, and the model's answer is scored the same way.
 */
export function LiveHistogram({ state, normalise }: { state: TeacherState; normalise: (texts: readonly string[]) => Promise<Normalised> }) {
  const kind = state.info!.kind;
  // The key arrives with the reveal (the same realExpected the server built from this lesson).
  const key = state.phase === "revealed" ? state.reveal : null;
  const expected = key?.expected ?? null;
  const model = key?.model ?? null;

  const texts = useMemo(() => {
    const t = textsOf(state.histogram, kind, expected ? [expected] : []);
    // The model is scored as the phones score it: both of its answers parsed in the sandbox.
    if (model && expected) for (const x of textsToNormalise(expectedText(model.expected), expected)) if (!t.includes(x)) t.push(x);
    return t;
  }, [state.histogram, kind, expected, model]);
  const [norm, setNorm] = useState<Normalised>(EMPTY);
  const textsKey = texts.join("\u0000");
  useEffect(() => {
    if (texts.length === 0) return;
    let live = true;
    normalise(texts).then((n) => live && setNorm(n));
    return () => {
      live = false;
    };
    // textsKey stands for texts: a new array with the same texts needs no new run.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [textsKey, normalise]);

  const bars = regroup(state.histogram, kind, norm, expected);
  const total = bars.reduce((n, b) => n + b.count, 0);
  const max = Math.max(1, ...bars.map((b) => b.count));
  const right = expected ? bars.filter((b) => b.correct).reduce((n, b) => n + b.count, 0) : null;
  const modelRight = model && expected ? scoreModel(expected, model.expected, norm) : null;

  return (
    <figure className="flex flex-col gap-2" data-testid="live-histogram">
      <figcaption className="text-lg font-semibold">
        Answers: {total}
        {right !== null && total > 0 ? ` · ${right} right (${Math.round((100 * right) / total)}%)` : ""}
      </figcaption>
      {bars.length === 0 ? (
        <p>No answers yet.</p>
      ) : (
        // Fixed label and count columns: every bar has the same track, so lengths compare across rows.
        <ul className="flex flex-col gap-1.5">
          {bars.map((b) => (
            <li
              key={b.key}
              className="grid grid-cols-[9rem_1fr_7.5rem] items-center gap-2"
              data-testid="histogram-bar"
              data-answer={b.key}
              data-count={b.count}
            >
              <span className="font-code truncate text-lg" title={b.texts.length > 1 ? `typed as: ${b.texts.join(" · ")}` : b.key}>
                {b.key}
              </span>
              <span className="h-7 rounded-sm bg-slate-200 dark:bg-slate-800" aria-hidden="true">
                <span
                  className={`block h-full rounded-sm ${b.correct ? "bg-emerald-700 dark:bg-emerald-400" : "bg-slate-600 dark:bg-slate-300"}`}
                  style={{ width: `${(100 * b.count) / max}%` }}
                />
              </span>
              <span className="text-lg font-semibold tabular-nums">
                {b.count}
                {b.correct ? " ✓ correct" : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
      {key && (
        <div className="flex flex-col gap-1 text-lg" data-testid="live-key">
          <p>
            Reality: <code className="font-code font-bold">{key.real}</code>
          </p>
          <p>
            {model ? (
              <>
                The model ({model.label}) said <code className="font-code font-bold">{model.answer}</code>
                {modelRight === true ? " — right." : modelRight === false ? " — wrong." : "."}
              </>
            ) : (
              "No model prediction for this slide."
            )}
          </p>
        </div>
      )}
    </figure>
  );
}
