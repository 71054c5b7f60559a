import { assertJsonMediaType } from "@/lib/http/body";
import { methodNotAllowed, route } from "@/lib/http/route";
import { serverPredictors } from "@/lib/predictors/server";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route((req: Request) => {
  // Refused before the predictor is even looked up: a cross-site "simple" POST never reaches it.
  assertJsonMediaType(req);
  return serverPredictors().halt(req);
});

export const GET = methodNotAllowed("POST");
