/**
 * Who is calling a session's route: its teacher or one of its participants, from
 * `Authorization: Bearer <token>` or the session's HttpOnly cookie. Missing → 401; a token
 * that is not this session's, or the wrong role → 403. Tokens never reach a log or a URL.
 */
import "server-only";
import { AppError } from "@/lib/http/errors";
import { participantCookie, teacherCookie } from "./protocol";
import { participantByTokenHash, type SessionRow } from "./store";
import { hashMatches, hashToken } from "./tokens";

export type Caller = { role: "teacher" } | { role: "participant"; participantId: number };
export type Wanted = "teacher" | "participant" | "any";

/** Tokens are 32 characters; anything much longer is not one (and is not hashed). */
const MAX_TOKEN_CHARS = 256;

function cookies(req: Request): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return out;
}

function bearer(req: Request): string | null {
  const h = req.headers.get("authorization");
  if (h === null) return null;
  const m = /^Bearer[ ]+([A-Za-z0-9_-]+)\s*$/i.exec(h);
  if (!m)
    throw new AppError("unauthorized", "the Authorization header must be `Bearer <token>` (the token from creating or joining the session)", {
      "WWW-Authenticate": "Bearer",
    });
  return m[1];
}

async function roleOf(token: string, row: SessionRow): Promise<Caller | null> {
  if (token.length > MAX_TOKEN_CHARS) return null;
  const hash = hashToken(token);
  if (hashMatches(hash, row.teacherTokenHash)) return { role: "teacher" };
  const p = await participantByTokenHash(hash);
  if (p && p.sessionId === row.id && hashMatches(hash, p.tokenHash)) return { role: "participant", participantId: p.id };
  return null;
}

const WRONG_ROLE: Record<Exclude<Wanted, "any">, string> = {
  teacher: "only the session's teacher may do this",
  participant: "only a participant who joined the session may answer (the teacher's token cannot)",
};

/**
 * `prefer` picks between the two cookies when a browser holds both (a teacher trying the
 * student page in another tab); a bearer token always speaks for itself.
 */
export async function authenticate<W extends Wanted>(
  req: Request,
  row: SessionRow,
  wanted: W,
  prefer: "teacher" | "participant" = "teacher",
): Promise<W extends "any" ? Caller : Extract<Caller, { role: W }>> {
  const given = bearer(req);
  let caller: Caller | null;
  if (given !== null) {
    caller = await roleOf(given, row);
    if (!caller) throw new AppError("forbidden", "this token does not belong to this session");
  } else {
    const jar = cookies(req);
    const t = jar.get(teacherCookie(row.id));
    const p = jar.get(participantCookie(row.id));
    const order = (wanted === "any" ? (prefer === "teacher" ? [t, p] : [p, t]) : wanted === "teacher" ? [t, p] : [p, t]).filter((x): x is string => !!x);
    if (order.length === 0)
      throw new AppError("unauthorized", "no token: send `Authorization: Bearer <token>` or join the session first", { "WWW-Authenticate": "Bearer" });
    caller = await roleOf(order[0], row);
    if (!caller) throw new AppError("forbidden", "this session's cookie holds a token that does not belong to it");
  }
  if (wanted !== "any" && caller.role !== wanted) throw new AppError("forbidden", WRONG_ROLE[wanted as Exclude<Wanted, "any">]);
  // Checked just above: the caller has the wanted role.
  return caller as W extends "any" ? Caller : Extract<Caller, { role: W }>;
}
