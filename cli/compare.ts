/**
 * `npm run cwm -- compare --actual A.json --predicted P.json [--ignore-comprehensions]`:
 * prints comparison.md's metrics as one JSON object.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { z } from "zod";
import { canonicalAsPrediction } from "@/lib/compare/compare";
import { computeMetrics } from "@/lib/compare/metrics";
import { zodMessage } from "@/lib/http/errors";
import { CanonicalTrace, PredictedTrace } from "@/lib/trace/schema";

const HELP = `usage: npm run cwm -- compare --actual A.json --predicted P.json [--ignore-comprehensions]

Scores a predicted trace against the real one and prints ONE JSON object with the keys of
comparison.md: valid_format, valid_json, action_exact, state_exact, key_match,
key_value_match, output_correct (true/false), first_divergence (frame index or null).
Rates are fractions 0..1; valid_format, valid_json and output_correct are booleans.

  --actual FILE               canonical trace JSON (as \`cwm trace\` prints it)
  --predicted FILE            the \`cwm predict\` output (PredictedTrace), or a canonical trace
                              (then valid_format and valid_json are true)
  --ignore-comprehensions     leave out comprehension frames (<listcomp>, <genexpr>, …) on both
                              sides: Python 3.12+ inlines them, models trained on ≤ 3.11 predict them

Exit codes: 0 scored, 2 bad input (message on stderr).
`;

class InputError extends Error {}

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new InputError(`cannot read the ${what} file ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** A line of `cwm trace --jsonl` carries the record's id beside the trace: accept it. */
function withoutId(v: unknown): unknown {
  if (v && typeof v === "object" && !Array.isArray(v) && "id" in v) {
    const { id: _id, ...rest } = v as Record<string, unknown>;
    return rest;
  }
  return v;
}

function explain(err: z.ZodError): string {
  return zodMessage(err);
}

export async function loadActual(file: string): Promise<CanonicalTrace> {
  const parsed = CanonicalTrace.safeParse(withoutId(await readJson(file, "actual")));
  if (!parsed.success) throw new InputError(`${file} is not a canonical trace: ${explain(parsed.error)}`);
  return parsed.data;
}

export async function loadPredicted(file: string): Promise<PredictedTrace> {
  const raw = withoutId(await readJson(file, "predicted"));
  const asPredicted = PredictedTrace.safeParse(raw);
  if (asPredicted.success) return asPredicted.data;
  const asCanonical = CanonicalTrace.safeParse(raw);
  if (asCanonical.success) return canonicalAsPrediction(asCanonical.data);
  throw new InputError(
    `${file} is neither a predicted trace (${explain(asPredicted.error)}) nor a canonical trace (${explain(asCanonical.error)})`,
  );
}

export async function run(argv: string[]): Promise<number> {
  let values: { actual?: string; predicted?: string; "ignore-comprehensions"?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        actual: { type: "string" },
        predicted: { type: "string" },
        "ignore-comprehensions": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`cwm compare: ${err instanceof Error ? err.message : String(err)}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (!values.actual || !values.predicted) {
    process.stderr.write(`cwm compare: --actual and --predicted are both required\n\n${HELP}`);
    return 2;
  }
  try {
    const [actual, predicted] = await Promise.all([loadActual(values.actual), loadPredicted(values.predicted)]);
    const metrics = computeMetrics(actual, predicted, { ignoreComprehensions: values["ignore-comprehensions"] === true });
    process.stdout.write(`${JSON.stringify(metrics)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof InputError) {
      process.stderr.write(`cwm compare: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
