-- Issue 12: the offers list shows each offer's audience size as last counted, with its time, so
-- a view reads a number instead of counting every member of the program (about 1 s at 1,000,000
-- customers). The count-audiences job recounts every offer still running in one pass; saving an
-- offer recounts it; "Count again" on the list recounts them all; an offer's own page counts live.
ALTER TABLE "Offer" ADD COLUMN "targetCount" INTEGER, ADD COLUMN "targetCountedAt" TIMESTAMP(3);
