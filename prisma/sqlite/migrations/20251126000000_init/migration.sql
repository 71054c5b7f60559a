-- CreateTable
CREATE TABLE "Run" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "title" TEXT,
    "code" TEXT NOT NULL,
    "call" TEXT,
    "mode" TEXT NOT NULL,
    "executor" TEXT,
    "actual" TEXT NOT NULL,
    "metrics" TEXT
);

-- CreateTable
CREATE TABLE "Prediction" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "predictorId" TEXT NOT NULL,
    "model" TEXT,
    "settings" TEXT,
    "prompt" TEXT,
    "raw" TEXT NOT NULL,
    "trace" TEXT NOT NULL,
    "finish" TEXT NOT NULL,
    "elapsedMs" REAL,
    "promptTokens" INTEGER,
    "completionTokens" INTEGER,
    CONSTRAINT "Prediction_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "prediction_cache" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "trace" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "hits" INTEGER NOT NULL DEFAULT 0
);

-- CreateIndex
CREATE UNIQUE INDEX "Prediction_runId_position_key" ON "Prediction"("runId", "position");

