-- Orders state their discounts (issue 11: an order's lines add up to its total): each line keeps
-- its share of the line and order discounts; the order keeps their sum.
ALTER TABLE "Order" ADD COLUMN "discountCents" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "OrderLine" ADD COLUMN "discountCents" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Order" ADD CONSTRAINT "Order_discount_nonnegative" CHECK ("discountCents" >= 0);
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_discount_within_line" CHECK ("discountCents" >= 0 AND "discountCents" <= "quantity"::bigint * "unitPriceCents");
-- tax charged on top of the prices (e.g. US sales tax): total = lines - discounts + shipping + tax
ALTER TABLE "Order" ADD COLUMN "taxCents" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Order" ADD CONSTRAINT "Order_tax_nonnegative" CHECK ("taxCents" >= 0);
