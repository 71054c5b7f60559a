-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Prediction" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "trace" TEXT NOT NULL,
    "provenance" TEXT,
    CONSTRAINT "Prediction_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Prediction" ("id", "position", "runId", "trace") SELECT "id", "position", "runId", "trace" FROM "Prediction";
DROP TABLE "Prediction";
ALTER TABLE "new_Prediction" RENAME TO "Prediction";
CREATE UNIQUE INDEX "Prediction_runId_position_key" ON "Prediction"("runId", "position");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

