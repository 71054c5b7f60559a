import { assertJsonMediaType } from "@/lib/http/body";
import { methodNotAllowed, route } from "@/lib/http/route";
import { serverPredictors } from "@/lib/predictors/server";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route((req: Request) => {
  assertJsonMediaType(req);
  return serverPredictors().step(req);
});

export const GET = methodNotAllowed("POST");
