import { route } from "@/lib/http/route";
import { lessonsApi } from "@/lib/storage/lessons-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = route((req: Request, ctx: Ctx) => lessonsApi().get(req, ctx));
export const PUT = route((req: Request) => lessonsApi().immutable(req));
export const PATCH = route((req: Request) => lessonsApi().immutable(req));
export const DELETE = route((req: Request) => lessonsApi().immutable(req));
