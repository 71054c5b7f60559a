/**
 * A shared link does not impersonate anyone: a prediction posted with a run is stored as made
 * by this server only when this server made that very output (the predict route and the runs
 * API share one ledger; the greedy cache and the baseline's recomputation also vouch for it).
 * Real HTTP: the predict route with the fake vLLM, the runs API on a migrated SQLite database.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedRunSummary } from "@/lib/share/summary";
import { streamPrediction } from "@/lib/predictors/client";
import { createBaselinePredictor } from "@/lib/predictors/baseline";
import { PredictionLedger, serverLedger } from "@/lib/predictors/provenance";
import { cacheKey } from "@/lib/storage/prediction-cache";
import { createRunsApi } from "@/lib/storage/runs-api";
import { disconnectDb } from "@/lib/storage/db";
import { CreateRunResponse, StoredRun } from "@/lib/storage/schema";
import { counterRun } from "@/lib/storage/__tests__/fixtures";
import { sqliteTestDatabase, type TestDatabase } from "@/lib/storage/__tests__/test-db";
import type { PredictedTrace } from "@/lib/trace/schema";
import { readJsonl, type RecordedLine } from "@/lib/cwm/__tests__/data";
import { serveRoutes } from "@/test/http-harness";
import { startStack, type Stack } from "@/test/fakes/stack";

const fx = counterRun();
const sample = readJsonl<RecordedLine>("cwm-recorded/cruxeval-sample8.jsonl").find((d) => d.id === "sample_0")!;
const code = sample.code;
const call = `f(${sample.input})`;

let stack: Stack;
let database: TestDatabase;
let runs: { url: string; close: () => Promise<void> };
/** The same runs API, but as a server that restarted: an empty ledger, only the greedy cache. */
let restarted: { url: string; close: () => Promise<void> };
const savedUrl = process.env.DATABASE_URL;
let n = 0;

beforeAll(async () => {
  database = sqliteTestDatabase();
  process.env.DATABASE_URL = database.url;
  stack = await startStack({ ledger: serverLedger(), cacheKey });
  const api = createRunsApi({ ratePerMinute: 0 });
  runs = await serveRoutes({ "POST /api/runs": api.post, "GET /api/runs/:id": api.get });
  const cold = createRunsApi({
    ratePerMinute: 0,
    provenance: { ledger: new PredictionLedger(), cache: { key: cacheKey, peek: async (k) => stack.cache.map.get(k) ?? null } },
  });
  restarted = await serveRoutes({ "POST /api/runs": cold.post, "GET /api/runs/:id": cold.get });
});

afterAll(async () => {
  await stack?.close();
  await runs?.close();
  await restarted?.close();
  await disconnectDb();
  if (savedUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = savedUrl;
  await database?.drop();
});

async function predict(predictor: string, settings?: { temperature?: number }, c = code): Promise<PredictedTrace> {
  return streamPrediction({ runId: `p${++n}`, predictor, code: c, call, ...(settings ? { settings } : {}) }, () => {}, undefined, { baseUrl: stack.url });
}

async function share(prediction: PredictedTrace, opts: { at?: string; code?: string } = {}): Promise<StoredRun> {
  const res = await fetch(`${opts.at ?? runs.url}/api/runs`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code: opts.code ?? code, call, actual: fx.actual, prediction }),
  });
  expect(res.status).toBe(201);
  const created = CreateRunResponse.parse(await res.json());
  const got = await fetch(`${opts.at ?? runs.url}/api/runs/${created.id}`);
  const run = StoredRun.parse(await got.json());
  expect(created.provenance).toBe(run.provenance);
  return run;
}

describe("a shared prediction's provenance", () => {
  it("is uploaded when it only claims to come from CWM", async () => {
    const forged: PredictedTrace = { ...fx.prediction, predictor: { id: "cwm-vllm", model: "facebook/cwm", label: "CWM (vLLM)" } };
    expect((await share(forged)).provenance).toBe("uploaded");
  });

  it("is server when this server streamed exactly that prediction", async () => {
    const real = await predict("cwm-vllm");
    expect(real.finish).toBe("eos");
    const run = await share(real);
    expect(run.provenance).toBe("server");
    expect(run.predictions[0].frames).toEqual(real.frames);
  });

  it("is uploaded when one value of a real prediction was edited", async () => {
    const real = await predict("cwm-vllm");
    const frames = structuredClone(real.frames);
    const f = frames.findLast((x) => x.event === "return")!;
    f.value = "999";
    expect((await share({ ...real, frames, result: "999" })).provenance).toBe("uploaded");
  });

  it("is uploaded when a real prediction is shared with other code", async () => {
    const real = await predict("cwm-vllm");
    expect((await share(real, { code: `${code}\n# edited` })).provenance).toBe("uploaded");
  });

  it("is uploaded when the predictor's name is swapped", async () => {
    const real = await predict("baseline-syntax");
    expect((await share({ ...real, predictor: { id: "cwm-vllm", model: "facebook/cwm", label: "CWM (vLLM)" } })).provenance).toBe("uploaded");
  });

  it("is server for a sampled prediction this server made, uploaded for a copy with other settings", async () => {
    const sampled = await predict("cwm-vllm", { temperature: 0.7 });
    expect((await share(sampled)).provenance).toBe("server");
    expect((await share({ ...sampled, settings: { ...sampled.settings!, temperature: 0.2 } })).provenance).toBe("uploaded");
  });

  it("is server for a greedy prediction found in the prediction cache after a restart", async () => {
    const real = await predict("cwm-vllm");
    expect((await share(real, { at: restarted.url })).provenance).toBe("server");
    const sampled = await predict("cwm-vllm", { temperature: 0.7 });
    expect((await share(sampled, { at: restarted.url })).provenance).toBe("uploaded");
  });

  it("is server for the baseline when recomputing it gives the same output, uploaded when edited", async () => {
    const made = await createBaselinePredictor().predict({ code, call, settings: { temperature: 0, max_tokens: 4096 } }, () => {});
    expect((await share(made, { at: restarted.url })).provenance).toBe("server");
    expect((await share({ ...made, result: "42" }, { at: restarted.url })).provenance).toBe("uploaded");
  });

  it("is null for a run shared without a prediction", async () => {
    const res = await fetch(`${runs.url}/api/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code, call, actual: fx.actual }),
    });
    const created = CreateRunResponse.parse(await res.json());
    const run = StoredRun.parse(await (await fetch(`${runs.url}/api/runs/${created.id}`)).json());
    expect(run.provenance).toBeNull();
  });
});

describe("what a shared link says", () => {
  const view = (provenance: "server" | "uploaded" | null, prediction: PredictedTrace | null = fx.prediction) => ({
    id: "x",
    createdAt: "2026-01-01T00:00:00.000Z",
    title: null,
    code: fx.code,
    call: fx.call,
    actual: fx.actual,
    prediction,
    provenance,
  });

  it("says uploaded by the sharer next to the predictor's name when uploaded", () => {
    expect(sharedRunSummary(view("uploaded")).description).toMatch(/CWM \(vLLM\) \(facebook\/cwm\), uploaded by the sharer: predicted/);
  });

  it("names the predictor plainly only when this server made it", () => {
    const d = sharedRunSummary(view("server")).description;
    expect(d).toMatch(/CWM \(vLLM\) \(facebook\/cwm\): predicted/);
    expect(d).not.toMatch(/uploaded/);
  });

  it("says the real run ran in the sharer's browser, never verified", () => {
    for (const v of [view("server"), view("uploaded"), view(null, null)]) {
      const d = sharedRunSummary(v).description;
      expect(d).toMatch(/ran in the sharer's browser/);
      expect(d).not.toMatch(/verified/i);
    }
  });
});
