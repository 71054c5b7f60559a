import { useMemo } from "react";
import { slideModel, type SlideModel } from "@/lib/classroom/model";
import type { RecordedSet } from "@/lib/classroom/recorded";
import type { StoredRun } from "@/lib/storage/schema";

/** The model column's source for a slide (lib/classroom/model.ts), recomputed only when the run or the loaded recording changes. */
export function useSlideModel(run: StoredRun, recorded: RecordedSet | null): SlideModel {
  return useMemo(() => slideModel(run, recorded), [run, recorded]);
}
