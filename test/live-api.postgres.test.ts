import { postgresTestDatabase } from "@/lib/storage/__tests__/test-db";
import { liveApiSuite } from "./live-api-suite";

// TEST_POSTGRES_URL, else a throwaway cluster from scripts/pg-test.sh; skipped with a warning
// only when PostgreSQL is not installed.
liveApiSuite("live session API on PostgreSQL", postgresTestDatabase);
