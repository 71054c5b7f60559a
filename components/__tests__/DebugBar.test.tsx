// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Verb } from "@/lib/debugger/engine";
import { newDebugSession, type DebugSession } from "@/lib/playground/debug";
import { DebugBar } from "../DebugBar";

const INPUT = { code: "def f(n):\n    return n", call: "f(1)" };
const LINE = { event: "line" as const, source: "    return n", locals: { n: ".." } };

function bar(over: Partial<DebugSession> = {}, props: { realRunning?: boolean; stale?: boolean; onEdit?: (n: string, v: string) => string | null } = {}) {
  const onVerb = vi.fn<(v: Verb) => void>();
  const onEdit = vi.fn(props.onEdit ?? (() => null));
  const debug = { ...newDebugSession(INPUT, "cwm-vllm", "CWM (vLLM)"), ...over };
  render(
    <DebugBar
      debug={debug}
      realRunning={props.realRunning ?? false}
      stale={props.stale ?? false}
      onVerb={onVerb}
      onStop={vi.fn()}
      onEdit={onEdit}
      onRestore={vi.fn()}
      onBreakpoint={vi.fn()}
      onDismiss={vi.fn()}
      onEnd={vi.fn()}
    />,
  );
  return { onVerb, onEdit };
}

afterEach(cleanup);

describe("DebugBar", () => {
  it("every verb is a labelled button with a tooltip", () => {
    bar();
    for (const name of ["Step", "Next", "Out", "Back", "Continue"]) {
      const b = screen.getByRole("button", { name: new RegExp(`^${name} \\(`) });
      expect(b.getAttribute("title")).toMatch(new RegExp(`^${name}`));
    }
  });

  it("a button runs its verb", () => {
    const { onVerb } = bar();
    fireEvent.click(screen.getByRole("button", { name: /^Next/ }));
    expect(onVerb).toHaveBeenCalledWith({ verb: "next" });
  });

  it("the key s steps when focus is not in a field", () => {
    const { onVerb } = bar();
    fireEvent.keyDown(document.body, { key: "s" });
    expect(onVerb).toHaveBeenCalledWith({ verb: "step" });
  });

  it("keys typed in a field are not verbs", () => {
    const { onVerb } = bar();
    fireEvent.keyDown(screen.getByLabelText("Breakpoint line"), { key: "c" });
    expect(onVerb).not.toHaveBeenCalled();
  });

  it("the verbs wait while reality runs", () => {
    const { onVerb } = bar({}, { realRunning: true });
    expect((screen.getByRole("button", { name: /^Step/ }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.keyDown(document.body, { key: "s" });
    expect(onVerb).not.toHaveBeenCalled();
  });

  it("Back is off at the entry frame", () => {
    bar();
    expect((screen.getByRole("button", { name: /^Back/ }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("after the model's end only Back and Reset go on", () => {
    bar({ state: { frames: [LINE], paired: [0, 1], done: true, note: null, edits: [] } });
    expect((screen.getByRole("button", { name: /^Step/ }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole("button", { name: /^Back/ }) as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByTestId("debug-status").textContent).toContain("the model ended its trace");
  });

  it("Stop is on only while a verb is in flight", () => {
    bar({ phase: { phase: "stepping", verb: "continue" }, runId: "v1" });
    expect((screen.getByRole("button", { name: "Stop" }) as HTMLButtonElement).disabled).toBe(false);
  });

  it("Continue to line needs a line", () => {
    const { onVerb } = bar({ breakpoint: 2 });
    fireEvent.click(screen.getByRole("button", { name: "Continue to line" }));
    expect(onVerb).toHaveBeenCalledWith({ verb: "continue", line: 2 });
  });

  it("an edit the hook refuses says why and keeps the form", () => {
    const { onEdit } = bar({}, { onEdit: () => "Step into the program first." });
    fireEvent.click(screen.getByRole("button", { name: "Edit value…" }));
    fireEvent.change(screen.getByLabelText("Variable name"), { target: { value: "n" } });
    fireEvent.change(screen.getByLabelText("New value (a Python literal)"), { target: { value: "7" } });
    fireEvent.click(screen.getByRole("button", { name: "Set" }));
    expect(onEdit).toHaveBeenCalledWith("n", "7");
    expect(screen.getByTestId("edit-error").textContent).toBe("Step into the program first.");
  });

  it("after an edit, the way back is one button and the name of the edit is said", () => {
    bar({
      edit: { index: 0, at: 1, name: "n", repr: "7", applied: true, realError: null },
      unedited: { state: { frames: [], paired: [0], done: false, note: null, edits: [] }, real: null },
    });
    expect(screen.getByRole("button", { name: "Back to the unedited run" })).toBeTruthy();
    expect(screen.getByTestId("debug-status").textContent).toContain("edited: n = 7");
    expect((screen.getByRole("button", { name: "Edit value…" }) as HTMLButtonElement).disabled).toBe(true);
  });
});
