-- Background work that keeps up and loses nothing: the notify cursor, email leases, imports as
-- resumable jobs, and webhook events nobody listens to.

-- The notify job reads the outbox in (transaction id, id) order, only below the oldest
-- transaction still in flight (pg_snapshot_xmin), so an event whose transaction took a lower id
-- but committed later is not skipped. Rows written before this migration get txid 0: they keep
-- their id order behind the existing cursors (lastEventId), then new rows follow.
ALTER TABLE "WebhookEvent" ADD COLUMN "txid" xid8 NOT NULL DEFAULT '0'::xid8;
ALTER TABLE "WebhookEvent" ALTER COLUMN "txid" SET DEFAULT pg_current_xact_id();
CREATE INDEX "WebhookEvent_programId_txid_id_idx" ON "WebhookEvent"("programId", "txid", "id");
ALTER TABLE "NotificationCursor" ADD COLUMN "lastTxid" xid8 NOT NULL DEFAULT '0'::xid8;

-- An event no active endpoint of its program subscribes to is born fanned out: history loaded
-- before any endpoint exists (the demo data, say) leaves no backlog in front of real events.
-- (Endpoints receive only events recorded after they were created, so nothing is lost.)
CREATE FUNCTION hearth_webhook_event_fanned_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT NEW."fannedOut" AND NOT EXISTS (
    SELECT 1 FROM "WebhookEndpoint" w
    WHERE w."programId" = NEW."programId" AND w."isActive" AND (cardinality(w."eventTypes") = 0 OR NEW."type" = ANY(w."eventTypes"))
  ) THEN
    NEW."fannedOut" := true;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "WebhookEvent_fanned_out" BEFORE INSERT ON "WebhookEvent"
  FOR EACH ROW EXECUTE FUNCTION hearth_webhook_event_fanned_out();
CREATE INDEX "WebhookEndpoint_active_programId_idx" ON "WebhookEndpoint"("programId") WHERE "isActive";

-- Emails: a sender claims a row (SENDING until leaseUntil), commits, sends, then marks it.
ALTER TABLE "EmailMessage" ADD COLUMN "leaseUntil" TIMESTAMP(3);

-- Imports are jobs: QUEUED until a runner claims them (one per program at a time), leased while
-- they run, resumed from their checkpoint by another runner when the lease runs out.
ALTER TABLE "ImportJob" ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "checkpoint" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "leaseUntil" TIMESTAMP(3),
ADD COLUMN "startedAt" TIMESTAMP(3),
ALTER COLUMN "status" SET DEFAULT 'QUEUED';
CREATE INDEX "ImportJob_status_id_idx" ON "ImportJob"("status", "id");

CREATE TABLE "ImportFile" (
    "jobId" INTEGER NOT NULL,
    "csv" TEXT NOT NULL,

    CONSTRAINT "ImportFile_pkey" PRIMARY KEY ("jobId")
);
ALTER TABLE "ImportFile" ADD CONSTRAINT "ImportFile_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "ImportJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;
