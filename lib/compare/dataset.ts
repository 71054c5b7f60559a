/**
 * Benchmark datasets, one JSON object per line: CRUXEval records `{id, code, input, output}`
 * (the call is `f(<input>)`) or `{id, code, call}`. A bad line is reported with its number and
 * the other lines are still used.
 */
import { z } from "zod";

export const DatasetRecord = z.union([
  z.object({ id: z.string().min(1), code: z.string(), call: z.string() }).passthrough(),
  z.object({ id: z.string().min(1), code: z.string(), input: z.string(), output: z.string().optional() }).passthrough(),
]);
export type DatasetRecord = z.infer<typeof DatasetRecord>;

export interface BenchProgram {
  id: string;
  code: string;
  call: string;
  /** CRUXEval's expected output (repr), when the record has one. */
  expected: string | null;
}

export interface DatasetLineError {
  line: number;
  message: string;
}

export function programOf(r: DatasetRecord): BenchProgram {
  if ("call" in r && typeof r.call === "string") return { id: r.id, code: r.code, call: r.call, expected: null };
  const c = r as { id: string; code: string; input: string; output?: string };
  return { id: c.id, code: c.code, call: `f(${c.input})`, expected: c.output ?? null };
}

export function parseDataset(text: string): { programs: BenchProgram[]; errors: DatasetLineError[] } {
  const programs: BenchProgram[] = [];
  const errors: DatasetLineError[] = [];
  const seen = new Set<string>();
  text.split("\n").forEach((raw, i) => {
    if (raw.trim() === "") return;
    const line = i + 1;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      errors.push({ line, message: `not JSON (${err instanceof Error ? err.message : String(err)})` });
      return;
    }
    const r = DatasetRecord.safeParse(json);
    if (!r.success) {
      errors.push({ line, message: 'needs string fields "id" and "code", and "call" or "input"' });
      return;
    }
    const p = programOf(r.data);
    if (seen.has(p.id)) {
      errors.push({ line, message: `duplicate id "${p.id}"` });
      return;
    }
    seen.add(p.id);
    programs.push(p);
  });
  return { programs, errors };
}
