import { postgresTestDatabase } from "@/lib/storage/__tests__/test-db";
import { liveBatchSuite } from "./live-batch-suite";

// TEST_POSTGRES_URL, else a throwaway cluster from scripts/pg-test.sh; skipped with a warning
// only when PostgreSQL is not installed.
liveBatchSuite("group commit of answers on PostgreSQL", postgresTestDatabase);
