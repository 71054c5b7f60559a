import { methodNotAllowed, route } from "@/lib/http/route";
import { lessonsApi } from "@/lib/storage/lessons-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route((req: Request) => lessonsApi().post(req));
export const PUT = route((req: Request) => lessonsApi().immutable(req));
export const PATCH = route((req: Request) => lessonsApi().immutable(req));
export const DELETE = route((req: Request) => lessonsApi().immutable(req));
// Lessons are found by their id only: there is no listing.
export const GET = methodNotAllowed("POST");
