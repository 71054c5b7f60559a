/**
 * The app's /api/live route modules keyed as test/http-harness.ts wants them (shared by the
 * in-process suites and test/servers/live-routes.ts). Not a test file; no vitest imports.
 */
import * as create from "@/app/api/live/route";
import * as join from "@/app/api/live/join/route";
import * as events from "@/app/api/live/[id]/events/route";
import * as control from "@/app/api/live/[id]/control/route";
import * as answers from "@/app/api/live/[id]/answers/route";
import * as results from "@/app/api/live/[id]/results/route";
import type { Handler, Routes } from "./http-harness";

type IdHandler = (req: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response> | Response;

export function liveRoutes(): Routes {
  const withId =
    (h: IdHandler): Handler =>
    (req, ctx) =>
      h(req, { params: ctx.params.then((p) => ({ id: p.id })) });
  const routes: Routes = {};
  for (const m of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
    routes[`${m} /api/live`] = create[m] as Handler;
    routes[`${m} /api/live/join`] = join[m] as Handler;
    routes[`${m} /api/live/:id/events`] = withId(events[m] as IdHandler);
    routes[`${m} /api/live/:id/control`] = withId(control[m] as IdHandler);
    routes[`${m} /api/live/:id/answers`] = withId(answers[m] as IdHandler);
    routes[`${m} /api/live/:id/results`] = withId(results[m] as IdHandler);
  }
  return routes;
}
