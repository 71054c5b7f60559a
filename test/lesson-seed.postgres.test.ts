import { postgresTestDatabase } from "@/lib/storage/__tests__/test-db";
import { lessonSeedSuite } from "./lesson-seed-suite";

// TEST_POSTGRES_URL, else a throwaway cluster from scripts/pg-test.sh; skipped with a warning
// only when PostgreSQL is not installed.
lessonSeedSuite("built-in lessons seeded on PostgreSQL", postgresTestDatabase);
