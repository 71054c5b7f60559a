import { postgresTestDatabase } from "@/lib/storage/__tests__/test-db";
import { liveRestartSuite } from "./live-restart-suite";

liveRestartSuite("live session restart on PostgreSQL", postgresTestDatabase);
