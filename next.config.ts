import type { NextConfig } from "next";
import fs from "node:fs";
import path from "node:path";

// scripts/prepare-assets.mjs copies Monaco to public/monaco/<version>/vs; the editor is told
// where at build time.
const MONACO_VERSION: string = JSON.parse(fs.readFileSync(path.join(process.cwd(), "node_modules/monaco-editor/package.json"), "utf8")).version;

// Pages may only talk to their own origin. 'unsafe-inline' scripts are needed by Next's
// streamed RSC payload; no remote script, frame or connection is allowed anywhere.
const pageCsp = (frameAncestors: string) =>
  [
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    `frame-ancestors ${frameAncestors}`,
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");

// Only an embed may be framed, by any site and by a page opened from a local file: Chromium
// does not match file: parents with `*` (measured), so file: is named. Every other page
// refuses to be framed (clickjacking).
const EMBED_FRAMING = "* file:";
const NO_FRAMING = "'none'";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  env: { NEXT_PUBLIC_MONACO_VS: `/monaco/${MONACO_VERSION}/vs` },
  poweredByHeader: false,
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "@prisma/adapter-pg"],
  async headers() {
    return [
      {
        source: "/((?!executor/|embed/).*)",
        headers: [
          { key: "Content-Security-Policy", value: pageCsp(NO_FRAMING) },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          // Cross-origin isolation gives the executor shared memory, so Stop interrupts the
          // tracer cleanly instead of terminating the worker. Everything is same-origin anyway.
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
          { key: "Cross-Origin-Embedder-Policy", value: "require-corp" },
        ],
      },
      {
        // An embed in another site's page: that page may require CORP of what it frames.
        source: "/embed/:path*",
        headers: [
          { key: "Content-Security-Policy", value: pageCsp(EMBED_FRAMING) },
          { key: "Cross-Origin-Resource-Policy", value: "cross-origin" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
          { key: "Cross-Origin-Embedder-Policy", value: "require-corp" },
        ],
      },
      {
        // The interpreter's files live under a path that names their version and content
        // (scripts/prepare-assets.mjs), so a browser may keep them for good: a second visit
        // loads Python from its cache, compiled wasm included.
        source: "/pyodide/:version/:file",
        headers: [{ key: "Cache-Control", value: "public, max-age=31536000, immutable" }],
      },
      {
        source: "/monaco/:version/vs/:path*",
        headers: [{ key: "Cache-Control", value: "public, max-age=31536000, immutable" }],
      },
    ];
  },
};

export default nextConfig;
