/**
 * Scoring with the real sandbox: answers are parsed by the browser executor's worker bundle
 * (Pyodide, ast.literal_eval) running in a thread, exactly as a lesson page does.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBrowserExecutor, type WorkerLike } from "@/lib/executor/browser";
import type { Executor } from "@/lib/executor/types";
import { PYODIDE_INDEX, bundleWorker, threadWorker } from "@/lib/executor/__tests__/thread-worker";
import { answerKey, scoreAnswer, textsToNormalise, type Expected, type Normalised } from "../answers";
import { normaliseInSandbox } from "../normalise";

let bundle: string;
let ex: Executor;
beforeAll(async () => {
  bundle = await bundleWorker();
  ex = createBrowserExecutor({ indexURL: PYODIDE_INDEX, createWorker: () => threadWorker(bundle) as WorkerLike });
}, 120_000);
afterAll(() => {
  ex?.dispose();
  fs.rmSync(path.dirname(bundle), { recursive: true, force: true });
});

const lit = (repr: string): Expected => ({ kind: "literal", repr });
const raised: Expected = { kind: "exception", type: "ZeroDivisionError", message: "ZeroDivisionError: division by zero" };

// Every case of the scoring tests below, parsed in ONE sandbox run (each run costs a fresh
// interpreter): the tests then score against the map the sandbox gave.
const CASES: [string, Expected][] = [
  ["[1,2,3]", lit("[1, 2, 3]")],
  ["(1, 2)", lit("[1, 2]")],
  ['"abc"', lit("'abc'")],
  [`'it\\'s'`, lit(`"it's"`)],
  ["abc", lit("'abc'")],
  ["1", lit("1.0")],
  ["0.30000000000000004", lit("0.30000000000000004")],
  ["0.3", lit("0.30000000000000004")],
  ["1e3", lit("1000.0")],
  ["{'a': 1, 'b': 2}", lit("{'a': 1, 'b': 2}")],
  ["{'b': 2, 'a': 1}", lit("{'a': 1, 'b': 2}")],
  ["True", lit("True")],
  ["true", lit("True")],
  [" None ", lit("None")],
  ["<Node>", lit("<Node>")],
  ["Node", lit("<Node>")],
  ...["ZeroDivisionError", "ZeroDivisionError: division by zero", "ZeroDivisionError('x')", "ValueError", "0"].map((a): [string, Expected] => [a, raised]),
];
let parsed: Normalised = new Map();
beforeAll(async () => {
  parsed = await normaliseInSandbox(ex, CASES.flatMap(([a, e]) => textsToNormalise(a, e)));
}, 120_000);

function score(answer: string, e: Expected): boolean | null {
  if (!CASES.some(([a, x]) => a === answer && JSON.stringify(x) === JSON.stringify(e))) throw new Error(`add ${JSON.stringify(answer)} to CASES`);
  return scoreAnswer(answer, e, parsed);
}

describe("normaliseInSandbox", () => {
  it("gives Python's repr of each literal and null for what is not a literal", async () => {
    const norm = await normaliseInSandbox(ex, ["[1,2]", ' "a" ', "(1,)", "1.0", "x + 1", "__import__('os')", "{'b':1, 'a':2}"]);
    expect(norm.get("[1,2]")).toBe("[1, 2]");
    expect(norm.get('"a"')).toBe("'a'");
    expect(norm.get("(1,)")).toBe("(1,)");
    expect(norm.get("1.0")).toBe("1.0");
    expect(norm.get("x + 1")).toBeNull();
    expect(norm.get("__import__('os')")).toBeNull();
    expect(norm.get("{'b':1, 'a':2}")).toBe("{'b': 1, 'a': 2}");
  }, 60_000);

  it("parses hundreds of texts in batches, each text once", async () => {
    const texts = Array.from({ length: 450 }, (_, i) => `[${i}, ${i}]`);
    const norm = await normaliseInSandbox(ex, [...texts, ...texts]);
    expect(norm.size).toBe(450);
    expect(norm.get("[449, 449]")).toBe("[449, 449]");
  }, 60_000);

  it("keeps quotes, backslashes and non-ASCII text intact on the way in and out", async () => {
    const norm = await normaliseInSandbox(ex, [`'it\\'s'`, `"a\\\\b"`, `'héllo ✓'`, `"\\u2028"`]);
    expect(norm.get(`'it\\'s'`)).toBe(`"it's"`);
    expect(norm.get(`"a\\\\b"`)).toBe(`'a\\\\b'`);
    expect(norm.get(`'héllo ✓'`)).toBe(`'héllo ✓'`);
    expect(norm.get(`"\\u2028"`)).toBe(`'\\u2028'`);
  }, 60_000);

  it("treats an answer that tries to break out of its string as data, never as code", async () => {
    // Quoted at both ends, the first is one string literal; the second is not a literal at all.
    const quoted = `"]); print('pwned'); (["`;
    const bare = `[]); print('pwned'); ([`;
    const norm = await normaliseInSandbox(ex, [quoted, bare]);
    expect(norm.get(quoted)).toBe(quoted);
    expect(norm.get(bare)).toBeNull();
  }, 60_000);
});

describe("scoring a learner's answer (real sandbox)", () => {
  it("accepts a list written without spaces", () => expect(score("[1,2,3]", lit("[1, 2, 3]"))).toBe(true), 60_000);
  it("tells a list from a tuple", () => expect(score("(1, 2)", lit("[1, 2]"))).toBe(false), 60_000);
  it("accepts double quotes for a string", () => expect(score('"abc"', lit("'abc'"))).toBe(true), 60_000);
  it("accepts a string holding a quote in either quoting", () => expect(score(`'it\\'s'`, lit(`"it's"`))).toBe(true), 60_000);
  it("does not accept a string's content without quotes", () => expect(score("abc", lit("'abc'"))).toBe(false), 60_000);
  it("tells 1 from 1.0", () => expect(score("1", lit("1.0"))).toBe(false), 60_000);
  it("accepts 0.30000000000000004 for 0.1 + 0.2 but not 0.3", () => {
    expect(score("0.30000000000000004", lit("0.30000000000000004"))).toBe(true);
    expect(score("0.3", lit("0.30000000000000004"))).toBe(false);
  }, 60_000);
  it("accepts 1e3 for 1000.0", () => expect(score("1e3", lit("1000.0"))).toBe(true), 60_000);
  it("keeps dict order: a dict written in another order is another repr", () => {
    expect(score("{'a': 1, 'b': 2}", lit("{'a': 1, 'b': 2}"))).toBe(true);
    expect(score("{'b': 2, 'a': 1}", lit("{'a': 1, 'b': 2}"))).toBe(false);
  }, 60_000);
  it("accepts True and not true", () => {
    expect(score("True", lit("True"))).toBe(true);
    expect(score("true", lit("True"))).toBe(false);
  }, 60_000);
  it("accepts None written as None", () => expect(score(" None ", lit("None"))).toBe(true), 60_000);
  it("compares a non-literal real value (an object) as trimmed text", () => {
    expect(score("<Node>", lit("<Node>"))).toBe(true);
    expect(score("Node", lit("<Node>"))).toBe(false);
  }, 60_000);
  it("accepts the exception type, with or without the message, when the call raised", () => {
    const e = raised;
    expect(score("ZeroDivisionError", e)).toBe(true);
    expect(score("ZeroDivisionError: division by zero", e)).toBe(true);
    expect(score("ZeroDivisionError('x')", e)).toBe(true);
    expect(score("ValueError", e)).toBe(false);
    expect(score("0", e)).toBe(false);
  }, 60_000);
  it("groups answers that denote the same value under one histogram key", async () => {
    const answers = ["[1,2]", "[1, 2]", " [1 ,2] ", "(1, 2)", "one two"];
    const norm: Normalised = await normaliseInSandbox(ex, answers);
    const keys = answers.map((a) => answerKey(a, "value", norm));
    expect(new Set(keys.slice(0, 3)).size).toBe(1);
    expect(keys[3]).not.toBe(keys[0]);
    expect(keys[4]).toBe("one two");
  }, 60_000);
});
