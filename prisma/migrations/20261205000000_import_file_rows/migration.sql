-- The rows of an upload as validated when it was accepted (lib/services/bulk-import.ts
-- storedUnits), so the job runner doesn't parse and validate the CSV a second time.
-- NULL for jobs queued before this column existed: the runner then parses the CSV.
ALTER TABLE "ImportFile" ADD COLUMN "rows" TEXT;
