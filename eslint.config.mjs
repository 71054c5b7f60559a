// `npm run lint`. typescript-eslint's recommended rules, the two Rules of Hooks as errors, no
// `any`, and browser code (components/ and the browser side of lib/) never importing server code
// directly; scripts/check-imports.mjs follows the whole import graph, which a lint rule cannot.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import tseslint from "typescript-eslint";

/**
 * Modules marked `import "server-only"` in lib/ and app/, found when the config loads, so a new
 * server module is covered without editing this list.
 */
function serverModules() {
  const root = path.dirname(fileURLToPath(import.meta.url));
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "__tests__" && e.name !== "generated") walk(rel);
      } else if (/\.tsx?$/.test(e.name) && /^import\s+["']server-only["']/m.test(fs.readFileSync(path.join(root, rel), "utf8"))) {
        out.push("@/" + rel.replace(/\.tsx?$/, ""));
      }
    }
  };
  for (const dir of ["lib", "app"]) if (fs.existsSync(path.join(root, dir))) walk(dir);
  return out;
}

/** What a browser bundle must never import: Node built-ins, database packages, server modules. */
const SERVER_ONLY = {
  patterns: [
    { group: ["node:*"], message: "Browser code must not import Node built-ins." },
    { group: ["@prisma/*", "@/lib/generated/*"], message: "Browser code must not import the database client." },
  ],
  paths: [
    ...["fs", "path", "child_process", "http", "https", "net", "os", "crypto", "stream", "worker_threads"].map((name) => ({
      name,
      message: "Browser code must not import Node built-ins.",
    })),
    ...["better-sqlite3", "pg", "server-only", "pyodide"].map((name) => ({ name, message: "Browser code must not import server packages." })),
    ...serverModules().map((name) => ({ name, message: 'This module is server-only (it imports "server-only").' })),
  ],
};

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      "out/**",
      "public/**",
      "lib/generated/**",
      "data/**",
      "reports/**",
      "test-results/**",
      "playwright-report/**",
      "bench/out/**",
      ".executor/**",
      "next-env.d.ts",
      "**/*.d.ts",
      "**/*.d.mts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: { ...globals.node, ...globals.browser },
    },
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
      "@typescript-eslint/consistent-type-imports": ["error", { prefer: "type-imports", fixStyle: "inline-type-imports", disallowTypeAnnotations: false }],
      eqeqeq: ["error", "smart"],
      "prefer-const": "error",
      "no-var": "error",
    },
  },
  {
    // What runs in the browser: the React components and the browser side of the executor and
    // the prediction client.
    files: ["components/**/*.{ts,tsx}", "lib/executor/worker.ts", "lib/executor/browser.ts", "lib/predictors/client.ts"],
    ignores: ["**/__tests__/**", "**/*.test.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
    rules: { "no-restricted-imports": ["error", SERVER_ONLY] },
  },
  {
    // lib/ has no React (house rule).
    files: ["lib/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "react", message: "lib/ has no React: put hooks and components in components/." },
            { name: "react-dom", message: "lib/ has no React." },
          ],
        },
      ],
    },
  },
  {
    files: ["lib/executor/worker.ts", "lib/executor/browser.ts", "lib/predictors/client.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          ...SERVER_ONLY,
          paths: [...SERVER_ONLY.paths, { name: "react", message: "lib/ has no React." }, { name: "react-dom", message: "lib/ has no React." }],
        },
      ],
    },
  },
  {
    // Plain Node scripts.
    files: ["**/*.{mjs,cjs,js}"],
    languageOptions: { globals: { ...globals.node } },
  },
);
