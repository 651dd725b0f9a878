-- Stored idempotent answers are purged after 30 days (the purge-idempotency job).
-- CreateIndex
CREATE INDEX "ApiIdempotency_createdAt_idx" ON "ApiIdempotency"("createdAt");
