/**
 * POST /api/predict as the server builds it from the environment (by default the syntax
 * baseline; no database, so no prediction cache), plus a cheap GET /, served over real HTTP in a process of its own: a liveness test
 * times GET / from outside while the predict route works on hostile input. Prints
 * `listening http://127.0.0.1:<port>` when ready. Run with
 * `node --conditions=react-server --import tsx test/servers/predict-server.ts`.
 */
import { loadPredictorConfig } from "@/lib/config/predictors";
import { createPredictHandler } from "@/lib/predictors/handler";
import { serverLedger } from "@/lib/predictors/provenance";
import { registryFromConfig } from "@/lib/predictors/registry";
import { serveRoutes } from "@/test/http-harness";

const config = loadPredictorConfig(process.env);
const server = await serveRoutes({
  // As in production: every finished prediction is recorded in the ledger (hashed).
  "POST /api/predict": createPredictHandler({ registry: registryFromConfig(config), defaultMaxTokens: config.defaultMaxTokens, ledger: serverLedger() }),
  "GET /": () => new Response("ok", { headers: { "content-type": "text/plain" } }),
});
process.stdout.write(`listening ${server.url}\n`);
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
