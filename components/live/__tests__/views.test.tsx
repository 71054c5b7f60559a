// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Normalised } from "@/lib/classroom/answers";
import { LiveHistogram } from "../LiveHistogram";
import { PromptText } from "@/components/classroom/PromptText";
import { CodeView } from "../QuestionView";
import { connectionText, hasEnded } from "../useLiveStream";
import { participant, teacher } from "@/lib/live/client/__tests__/fixtures";
import { initialStudent } from "@/lib/live/client/student-state";
import { Reveal } from "../StudentLive";

afterEach(cleanup);

/** What the sandbox would answer for these texts (the real sandbox is tested in lib/classroom). */
const parsed =
  (reprs: Record<string, string | null>) =>
  async (texts: readonly string[]): Promise<Normalised> =>
    new Map(texts.filter((t) => t in reprs).map((t) => [t, reprs[t]]));

describe("the question as shown", () => {
  it("shows a prompt's backticked names as code and markup as text", () => {
    const { container } = render(<PromptText text={"What is `s` <b>now</b>?"} />);
    expect(container.querySelector("code")?.textContent).toBe("s");
    expect(container.querySelector("b")).toBeNull();
    expect(container.textContent).toBe("What is s <b>now</b>?");
  });

  it("marks the line about to run in words, not colour alone", () => {
    render(<CodeView info={{ kind: "value", prompt: "", line: 2, name: "s", code: "a = 1\nb = 2\nc = 3\n", call: null }} />);
    const line = document.querySelector('[aria-current="step"]')!;
    expect(line.getAttribute("data-line")).toBe("2");
    expect(line.textContent).toContain("(about to run)");
    expect(line.textContent).toContain("b = 2");
    expect(document.querySelectorAll("[data-line]")).toHaveLength(3);
  });

  it("names the call when there is one", () => {
    render(<CodeView info={{ kind: "return", prompt: "", line: null, name: null, code: "def f(): pass", call: "f()" }} />);
    expect(screen.getByText("f()").tagName).toBe("CODE");
  });
});

describe("the live histogram", () => {
  const histogram = [
    { answer: "0", count: 2 },
    { answer: "0.0", count: 1 },
    { answer: "00", count: 1 },
  ];
  const norm = parsed({ "0": "0", "0.0": "0.0", "00": "0" });

  it("merges answers the sandbox parsed alike and counts them in text", async () => {
    render(<LiveHistogram state={teacher({ histogram })} normalise={norm} />);
    await waitFor(() => expect(document.querySelector('[data-answer="0"]')?.getAttribute("data-count")).toBe("3"));
    expect(screen.getByText(/Answers: 4/)).toBeTruthy();
  });

  it("gives nothing away before the reveal, though the teacher state holds the key", async () => {
    const { container } = render(<LiveHistogram state={teacher({ histogram, phase: "locked" })} normalise={norm} />);
    await waitFor(() => expect(document.querySelector('[data-answer="0"]')?.getAttribute("data-count")).toBe("3"));
    expect(container.textContent).not.toMatch(/correct|Reality|model/i);
  });

  it("after the reveal marks reality's bar, the class's share and the model's verdict", async () => {
    const state = teacher({ histogram, phase: "revealed", reveal: { real: "0", expected: { kind: "literal", repr: "0" }, model: { answer: "0", label: "CWM (vLLM)", correct: true, expected: { kind: "literal", repr: "0" } } } });
    render(<LiveHistogram state={state} normalise={norm} />);
    await waitFor(() => expect(document.querySelector('[data-answer="0"]')?.textContent).toContain("✓ correct"));
    expect(document.querySelector('[data-answer="0.0"]')?.textContent).not.toContain("correct");
    expect(screen.getByText(/3 right \(75%\)/)).toBeTruthy();
    expect(screen.getByTestId("live-key").textContent).toContain("The model (CWM (vLLM)) said 0 — right.");
  });

  it("scores the model's answer in the sandbox, not by the server's text verdict: [1,2] is [1, 2]", async () => {
    const reveal = {
      real: "[1, 2]",
      expected: { kind: "literal" as const, repr: "[1, 2]" },
      model: { answer: "[1,2]", label: "CWM (vLLM)", correct: false, expected: { kind: "literal" as const, repr: "[1,2]" } },
    };
    const normalise = parsed({ "[1,2]": "[1, 2]", "[1, 2]": "[1, 2]" });
    render(<LiveHistogram state={teacher({ histogram: [{ answer: "[1, 2]", count: 1 }], phase: "revealed", reveal })} normalise={normalise} />);
    await waitFor(() => expect(screen.getByTestId("live-key").textContent).toContain("said [1,2] — right."));
  });

  it("says when the slide has no model prediction", () => {
    render(<LiveHistogram state={teacher({ histogram, phase: "revealed", reveal: { real: "0", expected: { kind: "literal", repr: "0" }, model: null } })} normalise={norm} />);
    expect(screen.getByText("No model prediction for this slide.")).toBeTruthy();
  });

  it("says when nobody has answered", () => {
    render(<LiveHistogram state={teacher()} normalise={norm} />);
    expect(screen.getByText("No answers yet.")).toBeTruthy();
  });
});

describe("the connection line", () => {
  const live = (phase: "open" | "ended") => ({ kind: "live" as const, state: { phase } });

  it("names a reconnect and its reason while the session runs", () => {
    expect(connectionText({ conn: { kind: "reconnecting", attempt: 1, inMs: 500, why: "network" }, view: live("open") })).toBe("reconnecting… (network)");
  });

  it("says nothing once the stream is open", () => {
    expect(connectionText({ conn: { kind: "open" }, view: live("open") })).toBe("");
  });

  it("says nothing about a closed stream once the session has ended or is gone: the page says so itself", () => {
    const closed = { kind: "closed" as const, status: 410, message: "ended" };
    expect(connectionText({ conn: closed, view: live("ended") })).toBe("");
    expect(connectionText({ conn: closed, view: { kind: "gone" } })).toBe("");
    expect(hasEnded({ conn: closed, view: live("ended") })).toBe(true);
    expect(hasEnded({ conn: closed, view: { kind: "waiting" } })).toBe(false);
  });
});

describe("a phone after the reveal", () => {
  const reveal = {
    real: "[1, 2]",
    expected: { kind: "literal" as const, repr: "[1, 2]" },
    // The server's text-only verdict: "[1,2]" is not the text "[1, 2]".
    model: { answer: "[1,2]", label: "CWM (vLLM)", correct: false, expected: { kind: "literal" as const, repr: "[1,2]" } },
  };
  const live = { ...initialStudent, view: { kind: "live" as const, state: participant({ phase: "revealed", reveal }) } };

  it("gives the model's verdict its own sandbox found, as the projector does, not the server's text comparison", () => {
    render(<Reveal s={{ ...live, score: { at: { slide: 0, question: 0 }, answer: null, correct: null, model: true } }} reveal={reveal} />);
    expect(screen.getByTestId("live-reveal").textContent).toContain("said [1,2] — right.");
  });

  it("gives no verdict on the model until the sandbox has scored it", () => {
    render(<Reveal s={live} reveal={reveal} />);
    expect(screen.getByTestId("live-reveal").textContent).toContain("said [1,2].");
  });
});
