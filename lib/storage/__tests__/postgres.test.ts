import { postgresTestDatabase } from "./test-db";
import { storageSuite } from "./storage-suite";

// TEST_POSTGRES_URL (a server the tests may create databases on), else scripts/pg-test.sh
// starts a throwaway cluster; skipped with a warning only when PostgreSQL is not installed.
storageSuite("storage on PostgreSQL", postgresTestDatabase);
