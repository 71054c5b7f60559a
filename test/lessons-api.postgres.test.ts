import { postgresTestDatabase } from "@/lib/storage/__tests__/test-db";
import { lessonsApiSuite } from "./lessons-api-suite";

// TEST_POSTGRES_URL, else a throwaway cluster from scripts/pg-test.sh; skipped with a warning
// only when PostgreSQL is not installed.
lessonsApiSuite("lessons API on PostgreSQL", postgresTestDatabase);
