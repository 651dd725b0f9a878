-- A grid cell's customers, highest net revenue first: within one frequency score, in net
-- revenue order (the recency bound is a filter on the rows walked). An expression index, so it
-- lives here and not in schema.prisma.
CREATE INDEX "AnalyticsCustomer_rf_idx" ON "AnalyticsCustomer" ("programId", hearth_analytics_frequency("orders"), "netCents" DESC, "customerId" DESC);
