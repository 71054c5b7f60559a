import { sqliteTestDatabase } from "@/lib/storage/__tests__/test-db";
import { lessonSeedSuite } from "./lesson-seed-suite";

lessonSeedSuite("built-in lessons seeded on SQLite (temp file)", async () => sqliteTestDatabase());
