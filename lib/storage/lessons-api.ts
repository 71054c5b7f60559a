/**
 * The /api/lessons handlers (Web Request → Response), kept out of app/ so tests can serve them
 * over real HTTP with their own rate limit. Lessons are immutable: no PUT, PATCH or DELETE.
 */
import "server-only";
import { errorResponse } from "@/lib/http/errors";
import { readJsonBody } from "@/lib/http/body";
import { LIMITS } from "@/lib/http/limits";
import { storageEnv } from "@/lib/config/storage";
import { getImmutable, refuseChange, type RouteContext } from "./immutable";
import { RateLimiter } from "./rate-limit";
import { CreateLessonBody, type CreateLessonResponse } from "./lesson-schema";
import { createLesson, getLesson } from "./lessons";


export interface LessonsApi {
  post(req: Request): Promise<Response>;
  get(req: Request, ctx: RouteContext): Promise<Response>;
  /** PUT, PATCH and DELETE on /api/lessons and /api/lessons/<id>. */
  immutable(req: Request): Response;
}

/** The rate limit is POST /api/runs's (RUNS_RATE_LIMIT), counted apart: a lesson costs a save too. */
export function createLessonsApi(opts: { ratePerMinute?: number } = {}): LessonsApi {
  const limiter = new RateLimiter(opts.ratePerMinute ?? storageEnv().RUNS_RATE_LIMIT);
  return {
    async post(req) {
      try {
        limiter.admit(req, "lessons");
        const body = CreateLessonBody.parse(await readJsonBody(req, LIMITS.body.lessons));
        const created: CreateLessonResponse = await createLesson(body);
        return Response.json(created, { status: 201, headers: { Location: created.url } });
      } catch (err) {
        return errorResponse(err);
      }
    },

    get: (_req, ctx) => getImmutable(ctx, "lesson", getLesson),

    immutable: (req) => refuseChange(req, "/api/lessons", "lessons are immutable (save a new lesson, a fork, instead)"),
  };
}

let shared: LessonsApi | null = null;

/** The process-wide handlers used by app/api/lessons (one rate limiter per server). */
export function lessonsApi(): LessonsApi {
  shared ??= createLessonsApi();
  return shared;
}
