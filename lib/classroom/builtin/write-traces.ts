/**
 * Writes traces.json: the real trace of every built-in slide, made by the same tracer the
 * browser runs (Pyodide in Node). Run after changing a program or upgrading Pyodide:
 *   npx tsx lib/classroom/builtin/write-traces.ts
 * The server only stores these traces (it never runs code); a test fails when the tracer
 * would write them differently.
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { createNodeTracer } from "@/lib/executor/node";
import { BUILTIN_LESSONS } from "./index";
import { traceBuiltins } from "./trace";

const out = fileURLToPath(new URL("./traces.json", import.meta.url));
const tracer = await createNodeTracer();
try {
  const traces = await traceBuiltins(tracer, BUILTIN_LESSONS);
  fs.writeFileSync(out, `${JSON.stringify(traces, null, 1)}\n`);
  console.log(`wrote ${Object.keys(traces).length} traces (${tracer.version}) to ${out}`);
} finally {
  await tracer.close();
}
