-- AlterTable
ALTER TABLE "Prediction" DROP COLUMN "completionTokens",
DROP COLUMN "elapsedMs",
DROP COLUMN "finish",
DROP COLUMN "model",
DROP COLUMN "predictorId",
DROP COLUMN "prompt",
DROP COLUMN "promptTokens",
DROP COLUMN "raw",
DROP COLUMN "settings",
ADD COLUMN     "provenance" TEXT;

