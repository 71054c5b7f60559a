/**
 * State-changing requests must come from this site's own pages. A page on another site can
 * make a browser send a "simple" POST without a preflight; the browser then says where the
 * request came from (`Sec-Fetch-Site`, and `Origin` in older browsers), and this refuses it.
 * Clients that are not browsers (curl, the CLI, scripts) send neither header and are allowed:
 * they act for their own user, with no one else's cookies or network position to borrow.
 */
import "server-only";
import { AppError } from "./errors";
import { requestOrigin } from "./forwarded";

/** CSRF_ALLOW_SAME_SITE=1 also accepts sibling subdomains (`docs.example.org` → `play.example.org`). */
function allowSameSite(env: Record<string, string | undefined> = process.env): boolean {
  return env.CSRF_ALLOW_SAME_SITE === "1" || env.CSRF_ALLOW_SAME_SITE === "true";
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}

export function assertSameOrigin(req: Request, env: Record<string, string | undefined> = process.env): void {
  const site = req.headers.get("sec-fetch-site")?.trim().toLowerCase();
  if (site) {
    // "none": the user started it (address bar, bookmark), not another page.
    if (site === "same-origin" || site === "none") return;
    if (site === "same-site" && allowSameSite(env)) return;
    throw new AppError("forbidden", `cross-site request refused (Sec-Fetch-Site: ${site}): only this site's own pages may send ${req.method} requests here`);
  }
  const origin = req.headers.get("origin");
  if (origin === null) return;
  // The scheme is left out: a TLS-terminating proxy without TRUST_PROXY makes every request look like http.
  const expected = hostOf(requestOrigin(req));
  const actual = origin === "null" ? null : hostOf(origin);
  if (actual === null || actual !== expected) {
    throw new AppError(
      "forbidden",
      `cross-origin request refused (Origin: ${origin.slice(0, 100)}): only this site's own pages may send ${req.method} requests here`,
    );
  }
}
