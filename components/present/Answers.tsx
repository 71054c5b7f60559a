import { expectedText, type Expected } from "@/lib/classroom/answers";
import type { SlideModel } from "@/lib/classroom/model";
import { PromptText } from "@/components/classroom/PromptText";

function AnswerText({ e, testId, size }: { e: Expected; testId: string; size: "large" | "small" }) {
  if (e.kind === "none") {
    return (
      <p className={size === "large" ? "text-2xl italic" : "italic"} data-testid={testId}>
        No answer: {e.why}
      </p>
    );
  }
  return (
    <p className={`font-code break-words ${size === "large" ? "text-4xl font-semibold" : "text-xl font-semibold"}`} data-testid={testId}>
      {expectedText(e)}
    </p>
  );
}

/**
 * The model's answer, labelled with who made it ("CWM (recorded) · file.jsonl", "(uploaded)");
 * a slide without a prediction says how to get one. Never the syntax baseline.
 */
export function ModelAnswer({ model, answer, size = "large" }: { model: SlideModel; answer: Expected | null; size?: "large" | "small" }) {
  return (
    <section aria-label="The model's answer" className="rounded-lg border-2 border-violet-700 bg-violet-50 p-3 dark:border-violet-300 dark:bg-violet-950">
      <h3 className={size === "large" ? "text-xl font-semibold" : "font-semibold"}>
        Model{model.kind === "none" ? "" : <span className="font-normal"> · {model.label}</span>}
      </h3>
      {model.kind === "none" || !answer ? (
        <p className={size === "large" ? "text-lg" : "text-sm"} data-testid="model-help">
          <PromptText text={model.kind === "none" ? model.help : "No model prediction for this slide."} />
        </p>
      ) : (
        <AnswerText e={answer} testId="model-answer" size={size} />
      )}
    </section>
  );
}

export function RealAnswer({
  answer,
  modelRight,
  executor,
  size = "large",
}: {
  answer: Expected;
  modelRight: boolean | null;
  executor: string | null;
  size?: "large" | "small";
}) {
  return (
    <section aria-label="Reality" className="rounded-lg border-2 border-emerald-700 bg-emerald-50 p-3 dark:border-emerald-300 dark:bg-emerald-950">
      <h3 className={size === "large" ? "text-xl font-semibold" : "font-semibold"}>
        Reality<span className="font-normal"> · {executor ?? "the real run"}</span>
      </h3>
      <AnswerText e={answer} testId="real-answer" size={size} />
      {modelRight !== null && (
        <p className={size === "large" ? "mt-1 text-2xl font-semibold" : "mt-1 font-semibold"} data-testid="model-verdict">
          {modelRight ? "✓ The model was right" : "✗ The model was wrong"}
        </p>
      )}
    </section>
  );
}
