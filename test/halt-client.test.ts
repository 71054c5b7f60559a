/** The browser's side of POST /api/halt against the real handler over HTTP and a fake vLLM. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/http/errors";
import { createBaselinePredictor } from "@/lib/predictors/baseline";
import { streamHalt } from "@/lib/predictors/halt-client";
import { createHaltHandler } from "@/lib/predictors/halt-handler";
import type { HaltEvent } from "@/lib/predictors/halt-protocol";
import { createRegistry } from "@/lib/predictors/registry";
import { createVllmPredictor } from "@/lib/predictors/vllm";
import { exampleById } from "@/lib/playground/examples";
import { loadScript } from "@/test/fakes/common";
import { startFakeVllm, type FakeServer } from "@/test/fakes/vllm";
import { serveRoutes } from "@/test/http-harness";

const forever = exampleById("collatz-forever")!;
let vllm: FakeServer;
let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  vllm = await startFakeVllm({ script: loadScript() });
  const registry = createRegistry(
    [createVllmPredictor({ url: vllm.url, timeouts: { connectMs: 5_000, firstTokenMs: 5_000, idleMs: 5_000 } }), createBaselinePredictor()],
    { maxConcurrent: 2, queueLength: 2 },
  );
  server = await serveRoutes({ "POST /api/halt": createHaltHandler({ registry }) });
});
afterAll(async () => {
  await server?.close();
  await vllm?.close();
});

const req = (over: Record<string, unknown> = {}) => ({ runId: "c1", predictor: "cwm-vllm", code: forever.code, call: forever.call, ...over });

describe("streamHalt", () => {
  it("resolves with the reasoning, the answer and the verdict, calling back for each event", async () => {
    const seen: HaltEvent["type"][] = [];
    const out = await streamHalt(req(), (e) => seen.push(e.type), undefined, { baseUrl: server.url });
    expect(out).toMatchObject({ verdict: "does_not_halt", finish: "stop", start: { predictor: { label: "CWM (vLLM)" } } });
    expect(out.reasoning).toMatch(/runs forever/);
    expect(out.answer).toMatch(/Answer: no$/);
    expect(seen[0]).toBe("start");
    expect(seen.at(-1)).toBe("end");
  });

  it("throws the server's refusal as an AppError (baseline: 422)", async () => {
    const err = await streamHalt(req({ predictor: "baseline-syntax" }), () => {}, undefined, { baseUrl: server.url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "validation", message: expect.stringMatching(/needs CWM/) });
  });

  it("keeps the reasoning so far when Stop aborts the stream", async () => {
    vllm.options.rate = 40;
    try {
      const ctl = new AbortController();
      const out = await streamHalt(
        req({ runId: "c2", settings: { temperature: 0.3 } }),
        (e) => {
          if (e.type === "reasoning") ctl.abort();
        },
        ctl.signal,
        { baseUrl: server.url },
      );
      expect(out.finish).toBe("stopped");
      expect(out.reasoning.length).toBeGreaterThan(0);
      expect(out.verdict).toBe("unclear");
      await expect.poll(() => vllm.aborted).toBeGreaterThan(0);
    } finally {
      vllm.options.rate = Infinity;
    }
  });
});
