import { sqliteTestDatabase } from "@/lib/storage/__tests__/test-db";
import { liveBatchSuite } from "./live-batch-suite";

liveBatchSuite("group commit of answers on SQLite (temp file)", async () => sqliteTestDatabase());
