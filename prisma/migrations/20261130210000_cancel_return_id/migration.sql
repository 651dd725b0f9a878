-- Cancellations write their return row under '#cancel', an id no shop return can use (shop ids
-- are [\w.:@-]+). Rows a cancellation wrote under the old id 'cancel' (same instant as the order's
-- cancellation) move to the new one; a shop's own return called 'cancel' stays as it is.
UPDATE "OrderReturn" r SET "externalId" = '#cancel'
FROM "Order" o
WHERE o."id" = r."orderId" AND r."externalId" = 'cancel' AND o."cancelledAt" IS NOT NULL AND r."createdAt" = o."cancelledAt";
