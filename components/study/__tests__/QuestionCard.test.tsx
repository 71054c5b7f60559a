// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { QuestionState } from "@/lib/classroom/study";
import type { Question } from "@/lib/storage/lesson-schema";
import { CodeBox } from "../CodeBox";
import { QuestionCard } from "../QuestionCard";

afterEach(cleanup);

const scored: QuestionState = {
  status: "scored",
  answer: "6",
  learnerCorrect: true,
  real: "'six'",
  model: { answer: "'seven'", label: "CWM (recorded) · runs.jsonl", correct: false },
  modelHelp: null,
};

function card(state: QuestionState, kind: Question["kind"] = "value") {
  const onSubmit = vi.fn<(a: string) => void>();
  const onReveal = vi.fn();
  const onWarm = vi.fn();
  const view = render(
    <QuestionCard
      questionKey="0:0"
      kind={kind}
      prompt={{ text: "What is `s` when line 4 is about to run?", line: 4, name: "s" }}
      state={state}
      phase={{ phase: "idle" }}
      modelNote="The model has answered too."
      onSubmit={onSubmit}
      onReveal={onReveal}
      onWarm={onWarm}
    />,
  );
  return { onSubmit, onReveal, onWarm, view };
}

describe("a question before it is answered", () => {
  it("shows the prompt with the name as code", () => {
    card({ status: "unanswered" });
    expect(screen.getByTestId("study-prompt").textContent).toBe("What is s when line 4 is about to run?");
    expect(screen.getByTestId("study-prompt").querySelector("code")?.textContent).toBe("s");
  });

  it("has no model or real answer in the page", () => {
    const { view } = card({ status: "unanswered" });
    expect(view.container.textContent).not.toContain("Reality");
    expect(screen.queryByTestId("study-model")).toBeNull();
  });

  it("Enter in the field submits the answer", () => {
    const { onSubmit } = card({ status: "unanswered" });
    fireEvent.change(screen.getByLabelText("Your answer"), { target: { value: "[1, 2]" } });
    fireEvent.submit(screen.getByLabelText("Your answer").closest("form")!);
    expect(onSubmit).toHaveBeenCalledWith("[1, 2]");
  });

  it("a blank answer is not submitted", () => {
    const { onSubmit } = card({ status: "unanswered" });
    fireEvent.submit(screen.getByLabelText("Your answer").closest("form")!);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("Submit is disabled until there is an answer", () => {
    card({ status: "unanswered" });
    expect((screen.getByRole("button", { name: "Submit" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("focusing the field starts loading the sandbox", () => {
    const { onWarm } = card({ status: "unanswered" });
    fireEvent.focus(screen.getByLabelText("Your answer"));
    expect(onWarm).toHaveBeenCalled();
  });

  it("a next_line question asks for a number keypad", () => {
    card({ status: "unanswered" }, "next_line");
    expect(screen.getByLabelText("Your answer").getAttribute("inputmode")).toBe("numeric");
  });

  it("a halts question answers with Yes or No buttons", () => {
    const { onSubmit } = card({ status: "unanswered" }, "halts");
    expect(screen.queryByLabelText("Your answer", { selector: "input" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "No" }));
    expect(onSubmit).toHaveBeenCalledWith("no");
  });

  it("Show answer asks for the reveal", () => {
    const { onReveal } = card({ status: "unanswered" });
    fireEvent.click(screen.getByRole("button", { name: "Show answer" }));
    expect(onReveal).toHaveBeenCalled();
  });
});

describe("a question being checked", () => {
  it("says it is checking and shows the answer given, nothing else", () => {
    card({ status: "checking", answer: "6", ticket: 1 });
    expect(screen.getByTestId("study-checking").textContent).toContain("Checking…");
    expect(screen.getByTestId("study-checking").textContent).toContain("6");
    expect(screen.queryByTestId("study-real")).toBeNull();
  });

  it("says Python is loading while it loads", () => {
    render(
      <QuestionCard
        questionKey="0:0"
        kind="value"
        prompt={{ text: "x?", line: null, name: "x" }}
        state={{ status: "checking", answer: "6", ticket: 1 }}
        phase={{ phase: "loading", progress: 0.4, message: "" }}
        modelNote=""
        onSubmit={() => {}}
        onReveal={() => {}}
        onWarm={() => {}}
      />,
    );
    expect(screen.getByTestId("study-checking").textContent).toContain("loading Python in your browser: 40%");
  });
});

describe("a scored question", () => {
  it("shows you, the model and reality with verdicts in words", () => {
    card(scored);
    expect(screen.getByTestId("study-you").textContent).toContain("✓ right");
    expect(screen.getByTestId("study-model").textContent).toContain("'seven'");
    expect(screen.getByTestId("study-model").textContent).toContain("✗ wrong");
    expect(screen.getByTestId("study-model").textContent).toContain("CWM (recorded) · runs.jsonl");
    expect(screen.getByTestId("study-real").textContent).toContain("'six'");
  });

  it("without a model answer the model column says how to get one", () => {
    card({ ...scored, model: null, modelHelp: "Load recorded predictions." });
    expect(screen.getByTestId("study-model").textContent).toContain("Load recorded predictions.");
  });

  it("a shown answer says the learner did not answer", () => {
    card({ ...scored, answer: null, learnerCorrect: null });
    expect(screen.getByTestId("study-verdict").textContent).toBe("Answer shown.");
    expect(screen.getByTestId("study-you").textContent).toContain("not answered");
  });

  it("has no answer field any more", () => {
    card(scored);
    expect(screen.queryByLabelText("Your answer")).toBeNull();
  });

  it("a restored verdict does not take focus; one that arrives does", () => {
    card(scored);
    expect(document.activeElement).not.toBe(screen.getByTestId("study-verdict"));
    cleanup();
    const again = card({ status: "checking", answer: "6", ticket: 1 });
    again.view.rerender(
      <QuestionCard
        questionKey="0:0"
        kind="value"
        prompt={{ text: "x?", line: 4, name: "s" }}
        state={scored}
        phase={{ phase: "ready", version: "" }}
        modelNote=""
        onSubmit={() => {}}
        onReveal={() => {}}
        onWarm={() => {}}
      />,
    );
    expect(document.activeElement).toBe(screen.getByTestId("study-verdict"));
  });
});

describe("the code box", () => {
  it("marks the line about to run in words, not only colour", () => {
    const { container } = render(<CodeBox code={"a = 1\nb = 2\n"} call={null} line={2} />);
    const current = container.querySelector('[data-current="true"]')!;
    expect(current.textContent).toContain("b = 2");
    expect(current.textContent).toContain("▶");
    expect(current.textContent).toContain("about to run");
  });

  it("shows the call", () => {
    render(<CodeBox code="def f(): pass" call="f()" line={null} />);
    expect(screen.getByText("f()").tagName).toBe("CODE");
  });

  it("shows markup in code as text", () => {
    const { container } = render(<CodeBox code={'s = "<img src=x onerror=alert(1)>"'} call={null} line={null} />);
    expect(container.querySelector("img")).toBeNull();
    expect(container.textContent).toContain("<img src=x");
  });
});
