import { describe, expect, it } from "vitest";
import { groupThousands, halting } from "../halting";
import { actual, predicted, sumTrace } from "./build";

describe("halting verdicts", () => {
  it("says what the run returned and what the model predicted, and that they agree", () => {
    const h = halting(actual(sumTrace(3)), predicted(sumTrace(3)));
    expect(h.executor).toEqual({ kind: "returned", text: "returned 3" });
    expect(h.model).toEqual({ kind: "terminates", text: "model predicts it returns 3" });
    expect(h.agreement).toBe("agree");
  });

  it("names the exception type of a raised run", () => {
    const h = halting(
      actual([], { status: "raised", result: null, error: "ZeroDivisionError: division by zero" }),
      predicted([], { status: "raised", result: null, error: "ZeroDivisionError" }),
    );
    expect(h.executor.text).toBe("raised ZeroDivisionError");
    expect(h.model.text).toBe("model predicts it raises ZeroDivisionError");
  });

  it("reports a step limit with the steps spent, and a model at its token budget as agreeing", () => {
    const frames = Array.from({ length: 10_000 }, () => sumTrace(1)[1]);
    const h = halting(
      actual(frames, { status: "step_limit", result: null }),
      predicted([], { status: "incomplete", finish: "length", result: null }),
    );
    expect(h.executor.text).toBe("stopped after 10,000 steps");
    expect(h.model).toEqual({ kind: "runs_long", text: "model stopped at its token budget" });
    expect(h.agreement).toBe("agree");
  });

  it("disagrees when the run returned but the model kept going", () => {
    const h = halting(actual(sumTrace(1)), predicted([], { status: "incomplete", finish: "length", result: null }));
    expect(h.agreement).toBe("disagree");
  });

  it("cannot judge a prediction cut by an error, and says why", () => {
    const h = halting(actual(sumTrace(1)), predicted([], { status: "incomplete", finish: "error", result: null, message: "server closed the stream" }));
    expect(h.model).toEqual({ kind: "unknown", text: "prediction incomplete: server closed the stream" });
    expect(h.agreement).toBe("unknown");
  });

  it("reports a time limit and a run that could not start", () => {
    expect(halting(actual(sumTrace(1), { status: "time_limit" }), predicted([])).executor.text).toBe(`time limit reached after ${sumTrace(1).length} steps`);
    const e = halting(actual([], { status: "error", result: null, error: "SyntaxError: invalid syntax (line 2)" }), predicted([]));
    expect(e.executor).toEqual({ kind: "error", text: "could not run: SyntaxError: invalid syntax (line 2)" });
    expect(e.agreement).toBe("unknown");
  });

  it("shortens a long return value for the status line", () => {
    const long = `'${"x".repeat(500)}'`;
    const text = halting(actual(sumTrace(1), { result: long }), predicted(sumTrace(1))).executor.text;
    expect(text.length).toBeLessThan(100);
    expect(text.endsWith("…")).toBe(true);
  });

  it("says the user stopped a run from its stop_reason", () => {
    expect(halting(actual(sumTrace(1), { status: "time_limit", result: null, stop_reason: "user" }), predicted([])).executor.text).toBe(
      `stopped by you after ${sumTrace(1).length} steps`,
    );
  });

  it("never reads who stopped a run from its notes when it has a stop_reason", () => {
    const t = actual([], { status: "time_limit", result: null, stop_reason: "time", notes: ["stopped by the user after 5 ms"] });
    expect(halting(t, predicted([])).executor.text).toBe("time limit reached after 0 steps");
  });

  it("still reads a stored trace from before stop_reason by its note", () => {
    const t = actual([], { status: "time_limit", result: null, notes: ["stopped by the user after 5 ms"] });
    expect(halting(t, predicted([])).executor.text).toBe("stopped by you after 0 steps");
  });

  it("says when the host had to end a run that stopped answering", () => {
    const t = actual([], { status: "time_limit", result: null, stop_reason: "watchdog" });
    expect(halting(t, predicted([])).executor.text).toBe("stopped (Python stopped answering) after 0 steps");
  });

  it("groups thousands without depending on the locale", () => {
    expect([groupThousands(7), groupThousands(1234), groupThousands(10_000), groupThousands(1_234_567)]).toEqual(["7", "1,234", "10,000", "1,234,567"]);
  });
});
