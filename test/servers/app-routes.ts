/**
 * The app's own API route modules (app/api/*) served over real HTTP in a process of their own,
 * so a test can watch that process's memory while it sends hostile requests. Prints
 * `listening http://127.0.0.1:<port>` when ready. Run with
 * `node --conditions=react-server --import tsx test/servers/app-routes.ts`.
 */
import * as predict from "@/app/api/predict/route";
import * as runs from "@/app/api/runs/route";
import { serveRoutes } from "@/test/http-harness";

const server = await serveRoutes({
  "POST /api/predict": (req, ctx) => predict.POST(req, ctx),
  "POST /api/runs": (req, ctx) => runs.POST(req, ctx),
});
process.stdout.write(`listening ${server.url}\n`);
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
