-- Cross-process config caches (issue 12). Every change to what an order or an API call is
-- decided by (earning rules and offers, tiers, program settings, API keys) bumps the program's
-- configVersion in the same transaction, and the program's row announces it on the channel
-- 'hearth_config' (delivered at commit). Each app process LISTENs and drops its cached copies;
-- the order path also compares the version it read with the cached one, so a change committed
-- before an order started always applies to it, on any replica.
ALTER TABLE "Program" ADD COLUMN "configVersion" INTEGER NOT NULL DEFAULT 0;

CREATE FUNCTION hearth_config_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  program_id INTEGER;
BEGIN
  IF TG_OP = 'DELETE' THEN program_id := OLD."programId"; ELSE program_id := NEW."programId"; END IF;
  UPDATE "Program" SET "configVersion" = "configVersion" + 1 WHERE "id" = program_id;
  IF TG_OP = 'UPDATE' AND OLD."programId" IS DISTINCT FROM NEW."programId" THEN
    UPDATE "Program" SET "configVersion" = "configVersion" + 1 WHERE "id" = OLD."programId";
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "EarnRule_config_changed" AFTER INSERT OR UPDATE OR DELETE ON "EarnRule"
  FOR EACH ROW EXECUTE FUNCTION hearth_config_changed();
CREATE TRIGGER "Tier_config_changed" AFTER INSERT OR UPDATE OR DELETE ON "Tier"
  FOR EACH ROW EXECUTE FUNCTION hearth_config_changed();
CREATE TRIGGER "ApiKey_config_changed" AFTER INSERT OR DELETE OR UPDATE OF "revokedAt", "rateLimitPerMinute", "hash", "programId" ON "ApiKey"
  FOR EACH ROW EXECUTE FUNCTION hearth_config_changed();

-- a settings change on the program's own row bumps it too; any bump is announced
CREATE FUNCTION hearth_program_config_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."configVersion" = OLD."configVersion" AND (to_jsonb(NEW) - 'configVersion') IS DISTINCT FROM (to_jsonb(OLD) - 'configVersion') THEN
    NEW."configVersion" := OLD."configVersion" + 1;
  END IF;
  IF NEW."configVersion" <> OLD."configVersion" THEN
    PERFORM pg_notify('hearth_config', NEW."id"::text);
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "Program_config_changed" BEFORE UPDATE ON "Program"
  FOR EACH ROW EXECUTE FUNCTION hearth_program_config_changed();
