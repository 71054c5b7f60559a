/**
 * The app's /api/live route modules served over real HTTP in a process of their own: an app
 * instance that a test can kill and start again (restart) or run twice on one PostgreSQL
 * (instances). Prints `listening http://127.0.0.1:<port>` when ready (and, on PostgreSQL,
 * once its LISTEN connection is in place). Run with
 * `node --conditions=react-server --import tsx test/servers/live-routes.ts`.
 */
import { liveApi } from "@/lib/live/api";
import { serveRoutes } from "@/test/http-harness";
import { liveRoutes } from "@/test/live-routes";

const server = await serveRoutes(liveRoutes());
await liveApi().listening();
process.stdout.write(`listening ${server.url}\n`);
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
