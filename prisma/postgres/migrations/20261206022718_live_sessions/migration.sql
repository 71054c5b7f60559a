-- CreateTable
CREATE TABLE "LiveSession" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lessonId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "joinUrl" TEXT NOT NULL,
    "teacherTokenHash" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "slide" INTEGER NOT NULL DEFAULT 0,
    "question" INTEGER NOT NULL DEFAULT 0,
    "revealed" TEXT NOT NULL DEFAULT '[]',
    "seq" INTEGER NOT NULL DEFAULT 0,
    "lastActivity" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LiveSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LiveParticipant" (
    "id" SERIAL NOT NULL,
    "sessionId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "name" TEXT,
    "joinedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LiveParticipant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LiveAnswer" (
    "id" SERIAL NOT NULL,
    "sessionId" TEXT NOT NULL,
    "participantId" INTEGER NOT NULL,
    "slide" INTEGER NOT NULL,
    "question" INTEGER NOT NULL,
    "answer" TEXT NOT NULL,

    CONSTRAINT "LiveAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LiveEvent" (
    "id" SERIAL NOT NULL,
    "sessionId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "audience" TEXT NOT NULL,
    "data" TEXT NOT NULL,

    CONSTRAINT "LiveEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LiveSession_code_key" ON "LiveSession"("code");

-- CreateIndex
CREATE UNIQUE INDEX "LiveParticipant_tokenHash_key" ON "LiveParticipant"("tokenHash");

-- CreateIndex
CREATE INDEX "LiveParticipant_sessionId_idx" ON "LiveParticipant"("sessionId");

-- CreateIndex
CREATE INDEX "LiveAnswer_sessionId_slide_question_idx" ON "LiveAnswer"("sessionId", "slide", "question");

-- CreateIndex
CREATE UNIQUE INDEX "LiveAnswer_participantId_slide_question_key" ON "LiveAnswer"("participantId", "slide", "question");

-- CreateIndex
CREATE UNIQUE INDEX "LiveEvent_sessionId_seq_key" ON "LiveEvent"("sessionId", "seq");

-- AddForeignKey
ALTER TABLE "LiveParticipant" ADD CONSTRAINT "LiveParticipant_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "LiveSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LiveAnswer" ADD CONSTRAINT "LiveAnswer_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "LiveSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LiveAnswer" ADD CONSTRAINT "LiveAnswer_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "LiveParticipant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LiveEvent" ADD CONSTRAINT "LiveEvent_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "LiveSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

