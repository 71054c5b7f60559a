// Prisma CLI configuration (migrate, generate). The provider follows DATABASE_URL:
// postgres:// or postgresql:// → prisma/postgres, anything else (default
// file:./data/playground.db) → prisma/sqlite. The schema engine runs as wasm through the
// driver adapter, so no native engine is ever downloaded.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { cliPostgresAdapter } from "./prisma/pg-adapter";

const url = process.env.DATABASE_URL || "file:./data/playground.db";
const postgres = /^postgres(ql)?:\/\//.test(url);
const provider = postgres ? "postgres" : "sqlite";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", provider, "schema.prisma"),
  migrations: { path: path.join("prisma", provider, "migrations") },
  async adapter() {
    if (postgres) return cliPostgresAdapter(url);
    // Relative file: URLs are relative to the project root (the CLI's working directory).
    return new PrismaBetterSQLite3({ url: url.replace(/^file:/, "") });
  },
});
