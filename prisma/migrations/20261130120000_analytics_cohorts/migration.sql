-- CreateTable
CREATE TABLE "AnalyticsCustomer" (
    "customerId" INTEGER NOT NULL,
    "programId" INTEGER NOT NULL,
    "firstMonth" DATE,
    "joinMonth" DATE,

    CONSTRAINT "AnalyticsCustomer_pkey" PRIMARY KEY ("customerId")
);

-- CreateTable
CREATE TABLE "AnalyticsCohort" (
    "programId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "segment" TEXT NOT NULL,
    "cohortMonth" DATE NOT NULL,
    "monthOffset" INTEGER NOT NULL,
    "customers" INTEGER NOT NULL,
    "netCents" BIGINT NOT NULL,

    CONSTRAINT "AnalyticsCohort_pkey" PRIMARY KEY ("programId","kind","segment","cohortMonth","monthOffset")
);

-- CreateTable
CREATE TABLE "AnalyticsImpact" (
    "programId" INTEGER NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,
    "result" JSONB NOT NULL,

    CONSTRAINT "AnalyticsImpact_pkey" PRIMARY KEY ("programId")
);

-- CreateIndex
CREATE INDEX "AnalyticsCustomer_programId_idx" ON "AnalyticsCustomer"("programId");



-- Joining moves a customer into a join cohort (and from "never joined" to "joined" in the
-- first-order cohorts): queue the customer (no orders change population, so no `since`).
CREATE FUNCTION hearth_analytics_customer_joined() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AnalyticsChange" ("programId", "customerId")
  SELECT n."programId", n."id" FROM new_customers n WHERE n."enrolledAt" IS NOT NULL;
  RETURN NULL;
END $$;
CREATE TRIGGER "Customer_analytics_insert" AFTER INSERT ON "Customer"
  REFERENCING NEW TABLE AS new_customers FOR EACH STATEMENT EXECUTE FUNCTION hearth_analytics_customer_joined();

CREATE FUNCTION hearth_analytics_customer_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AnalyticsChange" ("programId", "customerId")
  SELECT n."programId", n."id" FROM new_customers n JOIN old_customers o ON o."id" = n."id"
  WHERE n."enrolledAt" IS DISTINCT FROM o."enrolledAt";
  RETURN NULL;
END $$;
CREATE TRIGGER "Customer_analytics_update" AFTER UPDATE ON "Customer"
  REFERENCING OLD TABLE AS old_customers NEW TABLE AS new_customers FOR EACH STATEMENT EXECUTE FUNCTION hearth_analytics_customer_updated();
