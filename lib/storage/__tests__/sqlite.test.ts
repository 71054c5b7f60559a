import { sqliteTestDatabase } from "./test-db";
import { storageSuite } from "./storage-suite";

storageSuite("storage on SQLite (temp file)", async () => sqliteTestDatabase());
