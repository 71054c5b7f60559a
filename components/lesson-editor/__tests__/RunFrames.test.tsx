// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LESSON_LIMITS, type Question } from "@/lib/storage/lesson-schema";
import type { StoredRun } from "@/lib/storage/schema";
import type { Frame } from "@/lib/trace/schema";
import { PromptText } from "@/components/classroom/PromptText";
import { RunFrames } from "../RunFrames";

afterEach(cleanup);

const FRAMES: Frame[] = [
  { event: "call", line: 1, source: "def total(nums):", locals: { nums: "[1, 2]" } },
  { event: "line", line: 2, source: "    s = 0", locals: { nums: "[1, 2]" } },
  { event: "line", line: 3, source: "    return s", locals: { nums: "[1, 2]", s: "0" } },
  { event: "return", line: 3, source: "    return s", value: "0" },
];

function run(frames: Frame[] = FRAMES, call: string | null = "total([1, 2])"): StoredRun {
  return {
    id: "AAAAAAAAAAAAAAAA",
    url: "/r/AAAAAAAAAAAAAAAA",
    createdAt: "2026-01-01T00:00:00.000Z",
    title: null,
    code: "def total(nums):\n    s = 0\n    return s\n",
    call,
    mode: call ? "call" : "script",
    executor: null,
    actual: { status: "returned", frames, result: "0", error: null, stdout: "" },
    predictions: [],
    provenance: null,
    metrics: null,
  };
}

function frames(questions: Question[] = [], r = run()) {
  const onToggle = vi.fn<(q: Question) => void>();
  render(<RunFrames run={r} slide={0} questions={questions} onToggle={onToggle} />);
  return onToggle;
}

describe("RunFrames: picking questions from the real trace", () => {
  it("a local asks for its value at that frame", () => {
    const onToggle = frames();
    fireEvent.click(screen.getByRole("button", { name: "Ask the value of s at frame 2 (line 3)" }));
    expect(onToggle).toHaveBeenCalledWith({ kind: "value", frame: 2, name: "s" });
  });

  it("a frame number asks which line runs after it", () => {
    const onToggle = frames();
    fireEvent.click(screen.getByRole("button", { name: "Ask which line runs after frame 1 (line 2)" }));
    expect(onToggle).toHaveBeenCalledWith({ kind: "next_line", frame: 1 });
  });

  it("offers no next-line question on the last frame", () => {
    frames();
    expect(screen.queryByRole("button", { name: /after frame 3\b/ })).toBeNull();
    expect(screen.getByRole("button", { name: /after frame 2\b/ })).toBeTruthy();
  });

  it("offers no value question on a return frame, and shows what it returns", () => {
    frames();
    expect(screen.queryAllByRole("button", { name: /at frame 3\b/ })).toHaveLength(0);
    expect(screen.getByText("returns 0")).toBeTruthy();
  });

  it("return and halts buttons name the call", () => {
    const onToggle = frames();
    fireEvent.click(screen.getByRole("button", { name: "Ask what total([1, 2]) returns" }));
    fireEvent.click(screen.getByRole("button", { name: "Ask whether total([1, 2]) finishes" }));
    expect(onToggle.mock.calls.map((c) => c[0])).toEqual([{ kind: "return" }, { kind: "halts" }]);
  });

  it("labels the entry wrapper's rows", () => {
    const wrapped: Frame[] = [{ event: "call", line: 4, source: "def main():", locals: {} }, ...FRAMES];
    const { container } = render(<RunFrames run={run(wrapped)} slide={0} questions={[]} onToggle={() => undefined} />);
    const rows = container.querySelectorAll("tbody tr");
    expect(rows[0].textContent).toContain("entry wrapper");
    expect(rows[1].textContent).not.toContain("entry wrapper");
  });

  it("names the program in script mode", () => {
    frames([], run(FRAMES, null));
    expect(screen.getByRole("button", { name: "Ask whether the program finishes" })).toBeTruthy();
  });

  it("marks an asked question as pressed, and pressing it again asks to take it off", () => {
    const onToggle = frames([{ kind: "value", frame: 2, name: "s" }]);
    const b = screen.getByRole("button", { name: "Ask the value of s at frame 2 (line 3)" });
    expect(b.getAttribute("aria-pressed")).toBe("true");
    expect(screen.getByRole("button", { name: "Ask the value of nums at frame 2 (line 3)" }).getAttribute("aria-pressed")).toBe("false");
    fireEvent.click(b);
    expect(onToggle).toHaveBeenCalledWith({ kind: "value", frame: 2, name: "s" });
  });

  it("disables new questions at the per-slide limit but keeps asked ones removable", () => {
    const full: Question[] = Array.from({ length: LESSON_LIMITS.questions }, (_, k) => ({ kind: "value", frame: 0, name: `v${k}` }));
    full[0] = { kind: "next_line", frame: 0 };
    frames(full);
    expect((screen.getByRole("button", { name: /^Ask the value of s at frame 2/ }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole("button", { name: /^Ask which line runs after frame 0/ }) as HTMLButtonElement).disabled).toBe(false);
  });

  it("shows a local's repr and name as text, never as markup", () => {
    const hostile: Frame[] = [{ event: "line", line: 1, source: "<b>x</b>", locals: { x: "'<img src=x onerror=alert(1)>'" } }, FRAMES[3]];
    const { container } = render(<RunFrames run={run(hostile)} slide={0} questions={[]} onToggle={() => undefined} />);
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("b")).toBeNull();
    expect(container.textContent).toContain("x = '<img src=x onerror=alert(1)>'");
  });

  it("renders a long trace a page at a time", () => {
    const long: Frame[] = Array.from({ length: 260 }, (_, k) => ({ event: "line" as const, line: 2, source: "    s = 0", locals: { k: String(k) } }));
    const { container } = render(<RunFrames run={run(long)} slide={0} questions={[]} onToggle={() => undefined} />);
    expect(container.querySelectorAll("tbody tr")).toHaveLength(200);
    fireEvent.click(screen.getByText("Show 60 more frames (60 not shown)"));
    expect(container.querySelectorAll("tbody tr")).toHaveLength(260);
  });
});

describe("PromptText", () => {
  it("sets backticked names in code", () => {
    const { container } = render(<PromptText text="What is `s` when line 4 is about to run?" />);
    expect(container.querySelector("code")?.textContent).toBe("s");
    expect(container.textContent).toBe("What is s when line 4 is about to run?");
  });

  it("leaves an unpaired backtick as written", () => {
    const { container } = render(<PromptText text="What is `a`b` now?" />);
    expect(container.querySelector("code")).toBeNull();
    expect(container.textContent).toBe("What is `a`b` now?");
  });
});

