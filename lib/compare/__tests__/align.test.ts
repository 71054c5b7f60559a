import { describe, expect, it } from "vitest";
import type { Frame } from "@/lib/trace/schema";
import { compareTraces, createComparer } from "../compare";
import type { AlignRow } from "../align";
import { actual, call, line, predicted, ret, sumTrace } from "./build";

/** Rows as a compact string: m = same state, x = matched with a state difference, d = only real, i = only predicted. */
function shape(rows: AlignRow[]): string {
  return rows.map((r) => (r.kind === "match" ? (r.same ? "m" : "x") : r.kind === "delete" ? "d" : "i")).join("");
}

/** `for x in xs: print(x)`: one line per element, states name the element, so a gap's place is unambiguous. */
function printLoop(xs: string[]): Frame[] {
  const out: Frame[] = [call("def main():", {}), line("    return f()", {}), call("def f():", {}), line("    for x in 'abcdef':", {})];
  for (const x of xs) {
    out.push(line("        print(x)", { x }));
    out.push(line("    for x in 'abcdef':", { x }));
  }
  out.push(ret("    for x in 'abcdef':", "None"), ret("    return f()", "None"));
  return out;
}

describe("alignment", () => {
  it("matches identical traces frame for frame", () => {
    const c = compareTraces(actual(sumTrace(3)), predicted(sumTrace(3)));
    expect(shape(c.alignment.rows)).toBe("m".repeat(sumTrace(3).length));
    expect(c.alignment.approximate).toBe(false);
  });

  it("shows a skipped iteration as one block of gaps at the skipped element", () => {
    const a = printLoop(["'a'", "'b'", "'c'", "'d'"]);
    const p = printLoop(["'a'", "'b'", "'d'"]);
    const rows = compareTraces(actual(a), predicted(p)).alignment.rows;
    // Frames 0..3 set-up, then pairs (print x, for) per element; the 'c' pair (real frames 8, 9) has no partner.
    expect(shape(rows)).toBe("mmmm" + "mm" + "mm" + "dd" + "mm" + "mm");
    expect(rows.filter((r) => r.kind === "delete").map((r) => (r.kind === "delete" ? r.a : -1))).toEqual([8, 9]);
  });

  it("shows an inserted iteration as one block of predicted-only rows where it was invented", () => {
    const a = printLoop(["'a'", "'b'", "'c'"]);
    const p = printLoop(["'a'", "'z'", "'b'", "'c'"]);
    const rows = compareTraces(actual(a), predicted(p)).alignment.rows;
    expect(shape(rows)).toBe("mmmm" + "mm" + "ii" + "mm" + "mm" + "mm");
    expect(rows.filter((r) => r.kind === "insert").map((r) => (r.kind === "insert" ? r.p : -1))).toEqual([6, 7]);
  });

  it("puts a skipped first or last element at that element", () => {
    const a = printLoop(["'a'", "'b'", "'c'"]);
    const first = compareTraces(actual(a), predicted(printLoop(["'b'", "'c'"]))).alignment.rows;
    expect(shape(first)).toBe("mmmm" + "dd" + "mm" + "mm" + "mm");
    const last = compareTraces(actual(a), predicted(printLoop(["'a'", "'b'"]))).alignment.rows;
    expect(shape(last)).toBe("mmmm" + "mm" + "mm" + "dd" + "mm");
  });

  it("an extra last iteration becomes two predicted-only rows before the real `return s`", () => {
    const c = compareTraces(actual(sumTrace(2)), predicted(sumTrace(2, [0, 1, 2])));
    expect(shape(c.alignment.rows)).toBe("m".repeat(9) + "ii" + "xxx");
    const last = c.alignment.rows[c.alignment.rows.length - 2];
    expect(last).toMatchObject({ kind: "match", a: 10, p: 12, same: false, value: { actual: "1", predicted: "3" } });
  });

  it("a wrong branch is a block of real-only and predicted-only rows between matched frames", () => {
    const head = [call("def main():", {}), line("    return f(1)", {}), call("def f(n):", { n: "1" }), line("    if n > 0:", { n: "1" })];
    const a = [...head, line("        return 'pos'", { n: "1" }), ret("        return 'pos'", "'pos'"), ret("    return f(1)", "'pos'")];
    const p = [...head, line("    return 'neg'", { n: "1" }), ret("    return 'neg'", "'neg'"), ret("    return f(1)", "'neg'")];
    const rows = compareTraces(actual(a), predicted(p)).alignment.rows;
    expect(shape(rows).slice(0, 4)).toBe("mmmm");
    // The real branch first, then the predicted one.
    expect(shape(rows).slice(4, 8)).toBe("ddii");
    expect(rows.slice(4, 8).map((r) => (r.kind === "delete" ? r.a : r.kind === "insert" ? r.p : -1))).toEqual([4, 5, 4, 5]);
    expect(rows[8]).toMatchObject({ kind: "match", a: 6, p: 6, same: false });
  });

  it("a call the model stepped over is a block of real-only rows: call, body, return", () => {
    const a = [
      call("def main():", {}),
      line("    return f(2)", {}),
      call("def f(n):", { n: "2" }),
      line("    return g(n) + 1", { n: "2" }),
      call("def g(k):", { k: "2" }),
      line("    return k * 2", { k: "2" }),
      ret("    return k * 2", "4"),
      ret("    return g(n) + 1", "5"),
      ret("    return f(2)", "5"),
    ];
    const p = [...a.slice(0, 4), ...a.slice(7)];
    const rows = compareTraces(actual(a), predicted(p)).alignment.rows;
    expect(shape(rows)).toBe("mmmm" + "ddd" + "mm");
    expect(rows.slice(4, 7)).toEqual([
      { kind: "delete", a: 4 },
      { kind: "delete", a: 5 },
      { kind: "delete", a: 6 },
    ]);
  });

  it("lists missing, extra and different locals of a matched frame with the values as written", () => {
    const a = actual([call("def main():", {}), line("x", { a: "1", b: "<o at 0x1>", c: "3" }), ret("x", "None")]);
    const p = predicted([call("def main():", {}), line("x", { a: "2", b: "<o>", d: "4" }), ret("x", "None")]);
    const row = compareTraces(a, p).alignment.rows[1];
    expect(row).toEqual({
      kind: "match",
      a: 1,
      p: 1,
      same: false,
      value: null,
      diffs: [
        { name: "a", kind: "different", actual: "1", predicted: "2" },
        { name: "c", kind: "missing", actual: "3" },
        { name: "d", kind: "extra", predicted: "4" },
      ],
    });
  });

  it("aligns a prediction without EOS with the start of the real run, leaving the rest real-only", () => {
    const a = sumTrace(6);
    const p = predicted(a.slice(0, 9), { status: "incomplete", finish: "length", result: null });
    const rows = compareTraces(actual(a), p).alignment.rows;
    expect(shape(rows)).toBe("m".repeat(9) + "d".repeat(a.length - 9));
  });

  it("gives the same result recomputed on a growing prediction as computed afresh", () => {
    const a = actual(sumTrace(5));
    const full = sumTrace(5, [0, 1, 3, 4]);
    const comparer = createComparer();
    const frames: Frame[] = [];
    for (const f of full) {
      frames.push(f);
      const p = predicted([...frames], { status: "incomplete", finish: "stopped", result: null });
      expect(comparer.compare(a, p)).toEqual(compareTraces(a, p));
    }
    const done = predicted(full);
    expect(comparer.compare(a, done)).toEqual(compareTraces(a, done));
  });
});

describe("alignment of 10,000-frame traces", () => {
  const ITER = 4998; // 4 + 2·4998 + 4 = 10,004 frames
  const values = Array.from({ length: ITER }, (_, i) => i);

  it("finds a skipped iteration, two invented lines and a wrong value among 10,000 frames", () => {
    const a = sumTrace(ITER);
    const pv = [...values];
    pv.splice(1000, 1); // the model skips i = 1000
    const p = sumTrace(ITER, pv);
    // … invents a print in iteration 3500 (two frames) …
    const at = 4 + 2 * 3500;
    p.splice(at, 0, line("        print(i)", { n: String(ITER), s: "0", i: "3500" }), line("        print(i)", { n: String(ITER), s: "0", i: "3500" }));
    // … and gets one value wrong in iteration 2000.
    p[4 + 2 * 2000 + 1] = line("        s += i", { n: String(ITER), s: "0", i: "wrong" });
    const c = compareTraces(actual(a), predicted(p));
    expect(a.length).toBeGreaterThanOrEqual(10_000);
    expect(c.alignment.approximate).toBe(false);
    const rows = c.alignment.rows;
    const dels = rows.filter((r) => r.kind === "delete");
    const ins = rows.filter((r) => r.kind === "insert");
    expect(dels).toHaveLength(2);
    expect(ins.map((r) => (r.kind === "insert" ? r.p : -1))).toEqual([at, at + 1]);
    // The skipped iteration is one block: its two rows are adjacent, after iteration 999.
    const di = rows.findIndex((r) => r.kind === "delete");
    expect(rows[di + 1].kind).toBe("delete");
    expect(dels[0].kind === "delete" && dels[0].a).toBeGreaterThanOrEqual(4 + 2 * 1000);
    // Every frame of both traces appears in exactly one row.
    expect(rows.length - ins.length).toBe(a.length);
    expect(rows.length - dels.length).toBe(p.length);
  });

  it("falls back to one block of gaps per side when the traces share nothing, and says so", () => {
    const a = sumTrace(ITER);
    const p = sumTrace(ITER).map((f) => ({ ...f, source: `${f.source} # other` }));
    const c = compareTraces(actual(a), predicted(p));
    expect(c.alignment.approximate).toBe(true);
    const s = shape(c.alignment.rows);
    expect(s).toBe("d".repeat(a.length) + "i".repeat(p.length));
  });

  it("aligns a 200-frame streaming prediction against a 10,000-frame run without giving up", () => {
    const a = sumTrace(ITER);
    const p = predicted(a.slice(0, 200), { status: "incomplete", finish: "stopped", result: null });
    const c = compareTraces(actual(a), p);
    expect(c.alignment.approximate).toBe(false);
    expect(shape(c.alignment.rows.slice(0, 201))).toBe("m".repeat(200) + "d");
  });
});

describe("alignment invariants on random traces", () => {
  it("covers every frame of both sides once, in order, and matches only equal actions", () => {
    let seed = 1;
    const r = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const sources = ["a", "b", "c"];
    const frame = (): Frame => line(sources[Math.floor(r() * 3)], { x: String(Math.floor(r() * 3)) });
    for (let t = 0; t < 200; t++) {
      const a = Array.from({ length: Math.floor(r() * 30) }, frame);
      const p = Array.from({ length: Math.floor(r() * 30) }, frame);
      const finish = r() < 0.5 ? "eos" : "length";
      const rows = compareTraces(actual(a), predicted(p, { finish })).alignment.rows;
      const as = rows.flatMap((x) => (x.kind === "match" ? [x.a] : x.kind === "delete" ? [x.a] : []));
      const ps = rows.flatMap((x) => (x.kind === "match" ? [x.p] : x.kind === "insert" ? [x.p] : []));
      expect(as).toEqual(a.map((_, k) => k));
      expect(ps).toEqual(p.map((_, k) => k));
      for (const x of rows) if (x.kind === "match") expect(a[x.a].source).toBe(p[x.p].source);
    }
  });
});
