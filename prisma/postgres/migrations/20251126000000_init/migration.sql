-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Run" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "title" TEXT,
    "code" TEXT NOT NULL,
    "call" TEXT,
    "mode" TEXT NOT NULL,
    "executor" TEXT,
    "actual" TEXT NOT NULL,
    "metrics" TEXT,

    CONSTRAINT "Run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Prediction" (
    "id" SERIAL NOT NULL,
    "runId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "predictorId" TEXT NOT NULL,
    "model" TEXT,
    "settings" TEXT,
    "prompt" TEXT,
    "raw" TEXT NOT NULL,
    "trace" TEXT NOT NULL,
    "finish" TEXT NOT NULL,
    "elapsedMs" DOUBLE PRECISION,
    "promptTokens" INTEGER,
    "completionTokens" INTEGER,

    CONSTRAINT "Prediction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "prediction_cache" (
    "key" TEXT NOT NULL,
    "trace" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "hits" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "prediction_cache_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "Prediction_runId_position_key" ON "Prediction"("runId", "position");

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

