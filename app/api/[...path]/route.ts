import { AppError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// Any /api/ path no other route serves: the error model's 404, not Next's HTML page.
const notFound = route((req: Request) => {
  throw new AppError("not_found", `no API at ${new URL(req.url).pathname.slice(0, 120)}`);
});

export const GET = notFound;
export const HEAD = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
