import { describe, expect, it } from "vitest";
import { ActInterner, prepareTrace } from "../prepare";
import { line, sumTrace } from "./build";

describe("prepareTrace", () => {
  it("reuses the normalised frames of a prefix it has seen (a prediction growing frame by frame)", () => {
    const interner = new ActInterner();
    const frames = sumTrace(3);
    const first = prepareTrace(frames.slice(0, 5), interner);
    const grown = prepareTrace(frames.slice(0, 8), interner, {}, first);
    for (let i = 0; i < 5; i++) expect(grown.prepared[i]).toBe(first.prepared[i]);
    expect(grown.prepared).toHaveLength(8);
  });

  it("recomputes from the first frame that changed", () => {
    const interner = new ActInterner();
    const frames = sumTrace(3);
    const first = prepareTrace(frames, interner);
    const edited = [...frames];
    edited[4] = line(frames[4].source, { n: "99" });
    const again = prepareTrace(edited, interner, {}, first);
    expect(again.prepared[3]).toBe(first.prepared[3]);
    expect(again.prepared[4]).not.toBe(first.prepared[4]);
    expect(again.prepared[4].locals).toEqual({ n: "99" });
  });

  it("does not reuse frames prepared with another interner (act ids would not agree)", () => {
    const frames = sumTrace(2);
    const first = prepareTrace(frames, new ActInterner());
    const other = prepareTrace(frames, new ActInterner(), {}, first);
    expect(other.prepared[0]).not.toBe(first.prepared[0]);
  });

  it("keeps a local named __proto__ as a plain name when it normalises an address", () => {
    const f = JSON.parse('{"event": "line", "line": 1, "source": "x", "locals": {"__proto__": "<o at 0x1>", "y": "1"}}');
    const p = prepareTrace([f], new ActInterner()).prepared[0];
    expect(Object.keys(p.locals!)).toEqual(["__proto__", "y"]);
    expect(p.locals!["__proto__"]).toBe("<o>");
    expect(p.size).toBe(2);
  });
});
