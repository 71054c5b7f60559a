// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Beat, Stage } from "@/lib/classroom/deck";
import { NO_MODEL_HELP } from "@/lib/classroom/model";
import type { LessonSlide } from "@/lib/storage/lesson-schema";
import type { StoredRun } from "@/lib/storage/schema";
import type { Frame, PredictedTrace } from "@/lib/trace/schema";
import { SlideBeat } from "../SlideBeat";

afterEach(cleanup);

const CODE = "def f(x):\n    y = x * 100\n    return y\n";
const FRAMES: Frame[] = [
  { event: "call", line: 1, source: "def f(x):", locals: { x: "7" } },
  { event: "line", line: 2, source: "    y = x * 100", locals: { x: "7" } },
  { event: "line", line: 3, source: "    return y", locals: { x: "7", y: "700" } },
  { event: "return", line: 3, source: "    return y", value: "700" },
];

function prediction(y: string, id = "cwm-vllm"): PredictedTrace {
  const frames = FRAMES.map((f) => (f.locals?.y ? { ...f, locals: { ...f.locals, y } } : f.event === "return" ? { ...f, value: y } : f));
  return {
    status: "returned",
    frames,
    result: y,
    error: null,
    stdout: "",
    predictor: { id, model: "facebook/cwm", label: "CWM (vLLM)" },
    finish: "eos",
    valid_format: true,
    valid_json: true,
    raw: "",
  };
}

function run(predictions: PredictedTrace[], provenance: StoredRun["provenance"] = predictions.length ? "server" : null): StoredRun {
  return {
    id: "AAAAAAAAAAAAAAAA",
    url: "/r/AAAAAAAAAAAAAAAA",
    createdAt: "2026-12-06T00:00:00.000Z",
    title: null,
    code: CODE,
    call: "f(7)",
    mode: "call",
    executor: "browser",
    actual: { status: "returned", frames: FRAMES, result: "700", error: null, stdout: "", executor: "Pyodide 0.0 (Python 3.14.0)" },
    predictions,
    provenance,
    metrics: null,
  };
}

const slide = (r: StoredRun, questions: LessonSlide["questions"] = [{ kind: "value", frame: 2, name: "y" }]): LessonSlide => ({
  run: r,
  notes: "Think *first*.",
  questions,
});
const at = (stage: Stage): Extract<Beat, { kind: "question" }> => ({ kind: "question", slide: 0, question: 0, stage });

function show(s: LessonSlide, beat: Exclude<Beat, { kind: "title" }>) {
  return render(<SlideBeat slide={s} beat={beat} slideCount={1} fontPx={24} recorded={null} />);
}

describe("SlideBeat reveals step by step; what is not revealed is not in the DOM", () => {
  it("the line beat marks the line about to run and asks nothing yet", () => {
    const { container } = show(slide(run([prediction("701")])), at("line"));
    expect(screen.getByTestId("present-line").textContent).toBe("Line 3 is about to run.");
    expect(container.querySelector("[data-current-line]")?.textContent).toContain("return y");
    expect(screen.queryByTestId("present-question")).toBeNull();
    expect(container.textContent).not.toContain("700");
    expect(container.textContent).not.toContain("701");
  });

  it("the question beat asks, with no answer anywhere", () => {
    const { container } = show(slide(run([prediction("701")])), at("question"));
    expect(screen.getByTestId("present-question").textContent).toBe("What is y when line 3 is about to run?");
    expect(container.textContent).not.toMatch(/70[01]/);
  });

  it("the model beat shows the model's answer with who made it, and not reality's", () => {
    const { container } = show(slide(run([prediction("701")])), at("model"));
    expect(screen.getByTestId("model-answer").textContent).toBe("701");
    expect(screen.getByRole("region", { name: "The model's answer" }).textContent).toContain("CWM (vLLM) · facebook/cwm");
    expect(screen.queryByTestId("real-answer")).toBeNull();
    expect(container.textContent).not.toContain("700");
  });

  it("the reality beat shows reality and whether the model was right", () => {
    show(slide(run([prediction("701")])), at("reality"));
    expect(screen.getByTestId("real-answer").textContent).toBe("700");
    expect(screen.getByTestId("model-verdict").textContent).toBe("✗ The model was wrong");
  });

  it("a right model is marked right", () => {
    show(slide(run([prediction("700")])), at("reality"));
    expect(screen.getByTestId("model-verdict").textContent).toBe("✓ The model was right");
  });

  it("an uploaded prediction says so in its label", () => {
    show(slide(run([prediction("701")], "uploaded")), at("model"));
    expect(screen.getByRole("region", { name: "The model's answer" }).textContent).toContain("uploaded");
  });

  it("without a prediction the model column says how to get one, and no verdict is given", () => {
    show(slide(run([])), at("reality"));
    expect(screen.getByTestId("model-help").textContent).toBe(NO_MODEL_HELP.replace(/`/g, ""));
    expect(screen.queryByTestId("model-verdict")).toBeNull();
  });

  it("the syntax baseline is never shown as the model", () => {
    const { container } = show(slide(run([prediction("701", "baseline-syntax")])), at("model"));
    expect(screen.getByTestId("model-help").textContent).toBe(NO_MODEL_HELP.replace(/`/g, ""));
    expect(container.textContent).not.toContain("701");
  });

  it("the code beat of a slide with questions shows no notes and no answers", () => {
    const { container } = show(slide(run([prediction("701")])), { kind: "code", slide: 0 });
    expect(container.textContent).not.toContain("Think");
    expect(container.textContent).not.toMatch(/70[01]/);
  });

  it("a slide without questions shows its notes, then its return value at the result beat", () => {
    const s = slide(run([prediction("701")]), []);
    const code = show(s, { kind: "code", slide: 0 });
    expect(code.container.querySelector("em")?.textContent).toBe("first");
    expect(code.container.textContent).not.toContain("700");
    cleanup();
    show(s, { kind: "result", slide: 0 });
    expect(screen.getByTestId("real-answer").textContent).toBe("700");
    expect(screen.getByTestId("model-answer").textContent).toBe("701");
  });
});

describe("walking the run on a slide's code beat", () => {
  const code: Beat = { kind: "code", slide: 0 };

  it("shows no value until the teacher chooses to walk", () => {
    render(<SlideBeat slide={slide(run([]))} beat={code} slideCount={1} fontPx={24} recorded={null} />);
    expect(screen.queryByTestId("frame-walk")).toBeNull();
    expect(document.body.textContent).not.toContain("700");
  });

  it("jumps to any frame: its line is marked and reality's locals shown", () => {
    render(<SlideBeat slide={slide(run([]))} beat={code} slideCount={1} fontPx={24} recorded={null} />);
    fireEvent.click(screen.getByRole("button", { name: "Walk the run (shows reality)" }));
    fireEvent.change(screen.getByRole("slider"), { target: { value: "2" } });
    expect(screen.getByTestId("frame-walk").textContent).toContain("Frame 3 of 4 · line · line 3");
    expect(screen.getByTestId("frame-walk-locals").textContent).toContain("y700");
    expect(document.querySelector("[data-current-line]")?.textContent).toContain("return y");
  });

  it("shows the return value at the return frame, and nothing once stopped", () => {
    render(<SlideBeat slide={slide(run([]))} beat={code} slideCount={1} fontPx={24} recorded={null} />);
    fireEvent.click(screen.getByRole("button", { name: "Walk the run (shows reality)" }));
    fireEvent.change(screen.getByRole("slider"), { target: { value: "3" } });
    expect(screen.getByTestId("frame-walk").textContent).toContain("returns 700");
    fireEvent.click(screen.getByRole("button", { name: "Stop walking" }));
    expect(screen.queryByTestId("frame-walk")).toBeNull();
    expect(document.querySelector("[data-current-line]")).toBeNull();
  });
});
