/**
 * Who sent a request and which origin the browser used, trusting forwarded headers only as far
 * as TRUST_PROXY says. `X-Forwarded-For`, `-Host` and `-Proto` are written by whoever is in
 * front of the server — a client can write any value — so with no proxy configured they are
 * ignored: the client is the socket's peer and the origin is the Host header.
 *
 * The socket address reaches a route through SOCKET_HEADER, which scripts/serve.mjs sets from
 * `req.socket.remoteAddress` after deleting any copy the client sent (Next's route handlers do
 * not see the socket). Without serve.mjs (`next dev`) the header is absent and the address
 * falls back to the X-Forwarded-For that Next fills in from the socket when a request has none.
 */
import "server-only";
import { z } from "zod";
import { zodMessage } from "./errors";

export const SOCKET_HEADER = "x-cwm-socket-address";

const TrustProxy = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
  z.coerce.number().int("must be a whole number of proxies").min(0).max(10).default(0),
);

/** How many proxies stand in front of the server (TRUST_PROXY, default 0: none). */
export function trustProxy(env: Record<string, string | undefined> = process.env): number {
  const r = TrustProxy.safeParse(env.TRUST_PROXY);
  if (!r.success) throw new Error(`${zodMessage(r.error, "TRUST_PROXY")} (got ${JSON.stringify(env.TRUST_PROXY)})`);
  return r.data;
}

function list(v: string | null): string[] {
  return (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The entry written by the outermost of `trusted` proxies: each proxy appends what it saw, so
 * the last `trusted` entries are theirs and anything before them came from the client.
 */
function byTrustedProxies(entries: string[], trusted: number): string | undefined {
  if (entries.length === 0) return undefined;
  return entries[Math.max(0, entries.length - trusted)];
}

function headersOf(req: Request | Headers): Headers {
  return req instanceof Headers ? req : req.headers;
}

/** The client's address: the key of every per-client limit. */
export function clientAddress(req: Request | Headers, trusted: number = trustProxy()): string {
  const h = headersOf(req);
  const socket = h.get(SOCKET_HEADER)?.trim() || null;
  const xff = list(h.get("x-forwarded-for"));
  if (socket) {
    // The socket's peer is the nearest proxy when there is one; the hop it reported is before it.
    return trusted === 0 ? socket : (byTrustedProxies([...xff, socket], trusted + 1) ?? socket);
  }
  return byTrustedProxies(xff, Math.max(1, trusted)) ?? "unknown";
}

const HOST = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;

/**
 * The origin the browser used (`https://play.example.org`), for policies that name it (the
 * worker's CSP). Forwarded host and scheme count only behind TRUST_PROXY proxies; a host that is
 * not a plain host[:port] (a client can send anything) falls back to the URL's.
 */
export function requestOrigin(req: Request, trusted: number = trustProxy()): string {
  const url = new URL(req.url);
  const forwardedProto = trusted > 0 ? byTrustedProxies(list(req.headers.get("x-forwarded-proto")), trusted)?.toLowerCase() : undefined;
  const forwardedHost = trusted > 0 ? byTrustedProxies(list(req.headers.get("x-forwarded-host")), trusted) : undefined;
  const scheme = forwardedProto === "http" || forwardedProto === "https" ? forwardedProto : url.protocol.replace(/:$/, "");
  const host = forwardedHost ?? req.headers.get("host") ?? url.host;
  return `${scheme}://${HOST.test(host) ? host : url.host}`;
}
