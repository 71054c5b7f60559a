/**
 * Where the tests find the recorded data (CRUXEval and real CWM generations): CWM_SHARED_DATA,
 * else ../shared/data beside the repository. It is read in place, never copied into the project.
 *
 * A clone without it still passes `npm test`: a module that cannot even load without the data
 * calls `requireSharedData()`, and vitest.config.ts leaves out every test file that imports such
 * a module (printing one line naming them); a test that needs the data only in places uses
 * `describe.skipIf(!sharedDataPresent)`. No Vitest import here: Playwright loads this file too.
 */
import path from "node:path";
import { SHARED_DATA, SHARED_DATA_MISSING, sharedDataPresent } from "../scripts/needs-shared-data.mjs";

export { SHARED_DATA, SHARED_DATA_FILES, SHARED_DATA_MISSING, sharedDataPresent } from "../scripts/needs-shared-data.mjs";

/** The path of a shared data file; throws with the one clear line when the data is absent. */
export function requireSharedData(rel: string): string {
  if (!sharedDataPresent) throw new Error(`needs shared data: ${SHARED_DATA_MISSING}`);
  return path.join(SHARED_DATA, rel);
}
