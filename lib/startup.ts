import "server-only";
import { storageEnv } from "@/lib/config/storage";
import { serverPredictors } from "@/lib/predictors/server";

/**
 * Every setting is validated when the server starts, so a bad value stops it with a message
 * naming the variable instead of failing the first request.
 */
try {
  serverPredictors();
  storageEnv(process.env);
} catch (err) {
  console.error(`cwm-playground: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

// The built-in lessons (lib/classroom/seed.ts), in the background: a slow or failing database
// never delays or stops the start; a failure is logged and the lesson index retries.
void import("@/lib/classroom/seed").then(
  (m) => m.ensureBuiltinLessons(),
  (err: unknown) => console.error(`cwm-playground: built-in lessons not loaded: ${err instanceof Error ? err.message : String(err)}`),
);
