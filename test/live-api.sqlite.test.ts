import { sqliteTestDatabase } from "@/lib/storage/__tests__/test-db";
import { liveApiSuite } from "./live-api-suite";

liveApiSuite("live session API on SQLite (temp file)", async () => sqliteTestDatabase());
