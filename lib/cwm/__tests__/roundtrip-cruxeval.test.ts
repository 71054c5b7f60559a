/** parse(serialize(t)) = t on the real traces of all 800 CRUXEval programs (Pyodide in Node). */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProgram } from "@/lib/cwm/program";
import { parseTrace } from "@/lib/cwm/parse";
import { serializeTrace } from "@/lib/cwm/serialize";
import { createNodeTracer, type NodeTracer } from "@/lib/executor/node";
import type { CanonicalTrace } from "@/lib/trace/schema";
import { DATA_DIR, readJsonl } from "./data";

const programs = readJsonl<{ id: string; code: string; input: string }>("cruxeval/cruxeval.jsonl");

describe("serialize → parse round trip on the 800 CRUXEval ground-truth traces", () => {
  let tracer: NodeTracer;
  beforeAll(async () => {
    tracer = await createNodeTracer();
  }, 300_000);
  afterAll(async () => {
    await tracer?.close();
  });

  it(
    "gives back every frame, the status and the result",
    async () => {
      expect(fs.existsSync(DATA_DIR)).toBe(true);
      const failures: string[] = [];
      for (const d of programs) {
        const call = `f(${d.input})`;
        const real = await tracer.trace({ code: d.code, call });
        if (real.status !== "returned" && real.status !== "raised") continue;
        const text = serializeTrace(real);
        const back = parseTrace(text, { program: buildProgram(d.code, call), predictor: { id: "gt", model: null } });
        const strip = (t: CanonicalTrace["frames"]) => t.map(({ event, line, source, locals, value }) => ({ event, line, source, locals, value }));
        try {
          expect(strip(back.frames)).toEqual(strip(real.frames));
          expect(back.status).toBe(real.status);
          expect(back.result).toBe(real.result);
          expect(back.valid_format && back.valid_json).toBe(true);
        } catch (err) {
          failures.push(`${d.id}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
        }
      }
      expect(failures).toEqual([]);
    },
    600_000,
  );
});
