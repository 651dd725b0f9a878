-- CreateTable
CREATE TABLE "Notification" (
    "id" SERIAL NOT NULL,
    "programId" INTEGER NOT NULL,
    "customerId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "eventId" INTEGER NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "readAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EmailMessage" (
    "id" SERIAL NOT NULL,
    "programId" INTEGER NOT NULL,
    "customerId" INTEGER,
    "eventId" INTEGER,
    "kind" TEXT NOT NULL,
    "toEmail" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmailMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationCursor" (
    "programId" INTEGER NOT NULL,
    "lastEventId" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "NotificationCursor_pkey" PRIMARY KEY ("programId")
);

-- CreateIndex
CREATE INDEX "Notification_customerId_createdAt_idx" ON "Notification"("customerId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_eventId_customerId_key" ON "Notification"("eventId", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "EmailMessage_eventId_key" ON "EmailMessage"("eventId");

-- CreateIndex
CREATE INDEX "EmailMessage_programId_createdAt_idx" ON "EmailMessage"("programId", "createdAt");

-- CreateIndex
CREATE INDEX "EmailMessage_status_id_idx" ON "EmailMessage"("status", "id");


