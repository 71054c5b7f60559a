/**
 * A Python local may be called `__proto__`, `constructor` or `toString`. Such names must
 * survive every path a trace takes: the schema, the CWM codec (write and read back), the
 * baseline, the comparison, JSON, the database and the runs API.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeMetrics } from "@/lib/compare/metrics";
import { parseTrace } from "@/lib/cwm/parse";
import { buildProgram } from "@/lib/cwm/program";
import { serializeTrace } from "@/lib/cwm/serialize";
import { createBaselinePredictor } from "@/lib/predictors/baseline";
import { createRunsApi } from "@/lib/storage/runs-api";
import { disconnectDb } from "@/lib/storage/db";
import { CreateRunResponse, StoredRun } from "@/lib/storage/schema";
import { sqliteTestDatabase, type TestDatabase } from "@/lib/storage/__tests__/test-db";
import { CanonicalTrace, type Frame, PredictedTrace } from "@/lib/trace/schema";
import { serveRoutes } from "@/test/http-harness";

const NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];
const CODE = NAMES.map((n, i) => `${n} = ${i + 1}`).join("\n");

/** Locals with every prototype name, as JSON.parse makes them (own properties). */
function localsUpTo(k: number): Record<string, string> {
  return JSON.parse(`{${NAMES.slice(0, k).map((n, i) => `"${n}": "${i + 1}"`).join(", ")}}`) as Record<string, string>;
}

function realTrace(): CanonicalTrace {
  const frames: Frame[] = [{ event: "call", line: 0, source: "def main():", locals: {} }];
  NAMES.forEach((n, i) => frames.push({ event: "line", line: i + 1, source: `    ${n} = ${i + 1}`, locals: localsUpTo(i) }));
  frames.push({ event: "return", line: NAMES.length, source: `    valueOf = ${NAMES.length}`, value: "None" });
  return CanonicalTrace.parse(JSON.parse(JSON.stringify({ status: "returned", frames, result: "None", error: null, stdout: "" })));
}

const keysOf = (f: Frame | undefined) => Object.keys(f?.locals ?? {});

describe("prototype-named locals", () => {
  it("survive the trace schema", () => {
    const t = realTrace();
    expect(keysOf(t.frames.at(-2))).toEqual(NAMES.slice(0, NAMES.length - 1));
    expect(Object.hasOwn(t.frames.at(-2)!.locals!, "__proto__")).toBe(true);
    expect(t.frames.at(-2)!.locals!.__proto__).toBe("1");
  });

  it("survive the CWM codec, written and read back (unchanged values written as \"..\")", () => {
    const t = realTrace();
    const text = serializeTrace(t);
    const back = parseTrace(text, { program: buildProgram(CODE, null), predictor: { id: "test", model: null } });
    expect(back.valid_json).toBe(true);
    expect(back.frames.map((f) => f.locals ?? null)).toEqual(t.frames.map((f) => f.locals ?? null));
    expect(keysOf(back.frames.at(-2))).toContain("__proto__");
  });

  it("are read by the baseline like any other name", async () => {
    const p = await createBaselinePredictor().predict({ code: CODE, settings: { temperature: 0, max_tokens: 100 } }, () => {});
    expect(keysOf(p.frames.at(-2))).toEqual(NAMES.slice(0, NAMES.length - 1));
    expect(p.frames.at(-2)!.locals!.__proto__).toBe("1");
  });

  it("are compared like any other name: equal traces score exact, a changed __proto__ does not", () => {
    const t = realTrace();
    const prediction = PredictedTrace.parse({ ...t, predictor: { id: "test", model: null }, finish: "eos", valid_format: true, valid_json: true, raw: "" });
    expect(computeMetrics(t, prediction).state_exact).toBe(1);
    const changed = structuredClone(prediction);
    Object.defineProperty(changed.frames[3].locals!, "__proto__", { value: "99", enumerable: true, writable: true, configurable: true });
    expect(computeMetrics(t, changed).state_exact).toBeLessThan(1);
  });
});

describe("prototype-named locals through the runs API and the database", () => {
  let database: TestDatabase;
  let server: { url: string; close: () => Promise<void> };
  const savedUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    database = sqliteTestDatabase();
    process.env.DATABASE_URL = database.url;
    const api = createRunsApi({ ratePerMinute: 0 });
    server = await serveRoutes({ "POST /api/runs": api.post, "GET /api/runs/:id": api.get });
  });
  afterAll(async () => {
    await server?.close();
    await disconnectDb();
    if (savedUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = savedUrl;
    await database?.drop();
  });

  it("stores and returns them in both traces", async () => {
    const actual = realTrace();
    const prediction = { ...actual, predictor: { id: "test", model: null }, finish: "eos", valid_format: true, valid_json: true, raw: "" };
    // Sent as text, the way a browser sends it: the keys are in the JSON.
    const body = JSON.stringify({ code: CODE, call: null, actual, prediction });
    expect(body).toContain('"__proto__":"1"');
    const res = await fetch(`${server.url}/api/runs`, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(res.status).toBe(201);
    const { id } = CreateRunResponse.parse(await res.json());
    const text = await (await fetch(`${server.url}/api/runs/${id}`)).text();
    expect(text).toContain('"__proto__":"1"');
    const run = StoredRun.parse(JSON.parse(text));
    expect(keysOf(run.actual.frames.at(-2))).toEqual(NAMES.slice(0, NAMES.length - 1));
    expect(keysOf(run.predictions[0].frames.at(-2))).toEqual(NAMES.slice(0, NAMES.length - 1));
    // The server's own metrics saw the same keys on both sides.
    expect(run.metrics?.state_exact).toBe(1);
  });
});
