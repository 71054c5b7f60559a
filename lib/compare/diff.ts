/**
 * What differs between two frames matched by the alignment, variable by variable, for people:
 * values are shown as written (original reprs), equality uses the normalised forms.
 */
import { z } from "zod";
import type { Frame } from "@/lib/trace/schema";
import type { PreparedFrame } from "./prepare";
import { sameState } from "./similarity";

const has = Object.prototype.hasOwnProperty;

export const VarDiff = z
  .object({
    name: z.string(),
    /** missing: only the real frame has it; extra: only the predicted frame; different: both, values differ. */
    kind: z.enum(["missing", "extra", "different"]),
    actual: z.string().optional(),
    predicted: z.string().optional(),
  })
  .strict();
export type VarDiff = z.infer<typeof VarDiff>;

export const ValueDiff = z.object({ actual: z.string().nullable(), predicted: z.string().nullable() }).strict();
export type ValueDiff = z.infer<typeof ValueDiff>;

export function localsDiff(af: Frame, pf: Frame, a: PreparedFrame, p: PreparedFrame): VarDiff[] {
  const out: VarDiff[] = [];
  const al = a.locals ?? {};
  const pl = p.locals ?? {};
  for (const k in al) {
    if (!has.call(pl, k)) out.push({ name: k, kind: "missing", actual: af.locals?.[k] });
    else if (pl[k] !== al[k]) out.push({ name: k, kind: "different", actual: af.locals?.[k], predicted: pf.locals?.[k] });
  }
  for (const k in pl) if (!has.call(al, k)) out.push({ name: k, kind: "extra", predicted: pf.locals?.[k] });
  return out;
}

/** The return/exception value difference, or null when the states agree or carry no value. */
export function valueDiff(af: Frame, pf: Frame, a: PreparedFrame, p: PreparedFrame): ValueDiff | null {
  if (af.event !== "return" && af.event !== "exception") return null;
  if (sameState(a, p)) return null;
  return { actual: af.value ?? null, predicted: pf.value ?? null };
}
