-- Issue 12: the console's member search (email or name containing the words, any case) reads an
-- index instead of every customer of the program. pg_trgm ships with PostgreSQL (contrib; a
-- trusted extension since PostgreSQL 13, so the database's owner may create it; every managed
-- PostgreSQL offers it) and with the embedded database (lib/db/embedded.ts loads it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- ILIKE '%words%' on either column is answered from this index (trigrams are case-insensitive);
-- searches shorter than three characters have no trigram and still scan. Its always-true
-- predicate makes it a partial index, which Prisma leaves out of its schema comparison (an
-- operator class can't be said in schema.prisma without a preview feature).
CREATE INDEX "Customer_search_trgm_idx" ON "Customer" USING gin ("email" gin_trgm_ops, "name" gin_trgm_ops) WHERE "programId" IS NOT NULL;
