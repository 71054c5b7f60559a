import { sqliteTestDatabase } from "@/lib/storage/__tests__/test-db";
import { lessonsApiSuite } from "./lessons-api-suite";

lessonsApiSuite("lessons API on SQLite (temp file)", async () => sqliteTestDatabase());
