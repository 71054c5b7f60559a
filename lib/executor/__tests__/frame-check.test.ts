/** The hand-written frame check must give zod's verdict on every input. */
import { describe, expect, it } from "vitest";
import { Frame } from "@/lib/trace/schema";
import { checkFrames, isFrame, traceFromResult } from "@/lib/executor/frame-check";

/** Deterministic PRNG (mulberry32): a failure is reproducible from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES: unknown[] = [
  null, undefined, 0, -1, 1.5, 2 ** 53, -(2 ** 53), NaN, Infinity, "", "x", "line", "call", "Line", true, false,
  [], ["a"], {}, { a: "b" }, { a: 1 }, { a: null }, [["a", "b"]], new Date(0), Object.create(null),
  Object.assign(Object.create(null), { a: "b" }), new (class K { a = "b"; })(),
];

function randomFrame(r: () => number): unknown {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const odd = () => pick(ODD_VALUES);
  const f: Record<string, unknown> = {
    event: r() < 0.85 ? pick(["call", "line", "return", "exception"]) : odd(),
    line: r() < 0.85 ? pick([1, 0, -3, 120, null]) : odd(),
    source: r() < 0.9 ? pick(["", "    x = 1", "def main():"]) : odd(),
  };
  if (r() < 0.5) f.locals = r() < 0.85 ? { a: "1", b: "'x'" } : r() < 0.5 ? { a: odd() } : odd();
  if (r() < 0.4) f.value = r() < 0.85 ? "None" : odd();
  if (r() < 0.1) f.invalid = r() < 0.7 ? "bad json" : odd();
  if (r() < 0.1) f.raw = r() < 0.7 ? "{...}" : odd();
  if (r() < 0.3) f.stdout_len = r() < 0.8 ? pick([0, 3, 120]) : pick([-1, 1.5, "3", null, 2 ** 53]);
  if (r() < 0.2) f.attrs = r() < 0.8 ? { o: { x: "1", y: "'a'" } } : pick([{ o: "x" }, { o: { x: 1 } }, [], "o", { o: {} }]);
  if (r() < 0.08) f[pick(["extra", "Event", "lines", "__proto__x"])] = "?";
  // Drop a required key now and then.
  if (r() < 0.08) delete f[pick(["event", "line", "source"])];
  return r() < 0.03 ? odd() : f;
}

describe("isFrame", () => {
  it("agrees with the zod Frame schema on 20,000 random frames", () => {
    const r = rng(20240611);
    let valid = 0;
    for (let i = 0; i < 20_000; i++) {
      const f = randomFrame(r);
      const want = Frame.safeParse(f).success;
      if (isFrame(f) !== want) throw new Error(`disagrees with zod (zod: ${want}) on ${JSON.stringify(f)}`);
      if (want) valid++;
    }
    // Both verdicts must be well represented, or the test proves little.
    expect(valid).toBeGreaterThan(4_000);
    expect(valid).toBeLessThan(16_000);
  });

  it("agrees with zod on every frame the tracer can emit", () => {
    const samples = [
      { event: "call", line: 0, source: "def main():", locals: {} },
      { event: "line", line: 3, source: "    x = 1", locals: { x: "1", s: "'é🙂'" } },
      { event: "return", line: 3, source: "", value: "None" },
      { event: "exception", line: null, source: "", value: "ZeroDivisionError('division by zero')" },
    ];
    for (const f of samples) expect(isFrame(f)).toBe(true);
  });
});

describe("checkFrames", () => {
  it("throws zod's error for a bad frame", () => {
    expect(() => checkFrames([{ event: "line", line: 1, source: "" }, { event: "jump", line: 1, source: "" }])).toThrow(/event/);
  });
});

describe("traceFromResult", () => {
  it("builds the trace with its keys in CanonicalTrace order", () => {
    const text = JSON.stringify({ stdout: "", notes: ["n"], error: null, result: "1", frames: [{ event: "return", line: 1, source: "x", value: "1" }], status: "returned" });
    const t = traceFromResult(text, "Pyodide test");
    expect(Object.keys(t)).toEqual(["status", "frames", "result", "error", "stdout", "notes", "executor"]);
  });

  it("rejects an envelope that is not a tracer result", () => {
    expect(() => traceFromResult(JSON.stringify({ status: "ok", frames: [] }), "x")).toThrow();
  });
});
