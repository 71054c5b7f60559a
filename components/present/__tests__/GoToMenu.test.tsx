// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Beat } from "@/lib/classroom/deck";
import { GoToMenu } from "../GoToMenu";

afterEach(cleanup);

// Slide 1 has no question, slide 2 has two.
const SHAPE = [0, 2];

function menu(beat: Beat, onGo: (b: Beat) => void = () => {}) {
  render(<GoToMenu beat={beat} shape={SHAPE} lesson={undefined} onGo={onGo} />);
  return screen.getByLabelText("Go to") as HTMLSelectElement;
}

describe("GoToMenu", () => {
  it("lists the title, every slide and, before the lesson loads, its questions by number", () => {
    const texts = [...menu({ kind: "title" }).options].map((o) => o.text);
    expect(texts).toEqual(["Title slide", "Slide 1", "Slide 2", "2.1 question 1", "2.2 question 2"]);
  });

  it("opens a chosen question at the line about to run", () => {
    const went: Beat[] = [];
    fireEvent.change(menu({ kind: "title" }, (b) => went.push(b)), { target: { value: "q1.1" } });
    expect(went).toEqual([{ kind: "question", slide: 1, question: 1, stage: "line" }]);
  });

  it("opens a chosen slide at its code, and the title slide as itself", () => {
    const went: Beat[] = [];
    const select = menu({ kind: "code", slide: 1 }, (b) => went.push(b));
    fireEvent.change(select, { target: { value: "c0" } });
    fireEvent.change(select, { target: { value: "t" } });
    expect(went).toEqual([{ kind: "code", slide: 0 }, { kind: "title" }]);
  });

  it("shows a slide's result beat as that slide, and any stage of a question as the question", () => {
    expect(menu({ kind: "result", slide: 0 }).value).toBe("c0");
    cleanup();
    expect(menu({ kind: "question", slide: 1, question: 0, stage: "reality" }).value).toBe("q1.0");
  });
});
