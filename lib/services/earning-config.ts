import "server-only";
import { prisma, type Tx } from "@/lib/db/prisma";
import type { Promotion, SpendRule } from "@/lib/domain/earn-points";
import { actionKinds, multiplierConfigSchema, parseActionConfig, parseSpendConfig, type ActionConfig, type ActionKind } from "@/lib/domain/earn-rules";
import { defaultTierPolicy, type TierDef, type TierPolicy } from "@/lib/domain/tiers";
import { toTierPolicy } from "./tiers";
import { cachesTrusted, onConfigChange } from "@/lib/db/config-changes";

export type SpendRuleDef = SpendRule & { id: number; version: number };
export type PromotionDef = Promotion & { name: string; totalCapPoints: number | null };
export type ActionRuleDef = { id: number; version: number; name: string; isActive: boolean; startsAt: Date | null; endsAt: Date | null; config: ActionConfig };

export type EarningConfig = {
  rule: SpendRuleDef | null;
  promotions: PromotionDef[];
  actions: Partial<Record<ActionKind, ActionRuleDef>>;
  tiers: TierDef[];
  tierPolicy: TierPolicy;
  /** Program.configVersion read with the rules (absent when built by hand) */
  version?: number;
};

type RuleRow = {
  id: number;
  kind: string;
  name: string;
  version: number;
  pointsPerUnitHundredths: number;
  tierMultipliers: Record<string, number>;
  config: unknown;
  totalCapPoints: number | null;
  isActive: boolean;
  startsAt: string | null;
  endsAt: string | null;
};

// json_build_object renders timestamp(3) without a zone; the database stores UTC
const utc = (value: string | null) => (value ? new Date(`${value}Z`) : null);

// In-process cache of each program's rules: saves a round trip on every order. It is exact on
// any number of replicas: the order path reads Program.configVersion with the customer and
// reloads the rules inside its transaction when the cached copy is older (record-order.ts), and
// each process drops its copy when a change is announced (lib/db/config-changes.ts) so the
// reload is rare. Caps and promotion budgets are always read fresh under their locks.
const CACHE_TTL_MS = 60_000;
// On globalThis: Next.js bundles route handlers and server actions separately, and a save in
// an action must clear the entry the order route reads.
const store = globalThis as unknown as { hearthEarningConfigCache?: Map<number, { value: Promise<EarningConfig>; expires: number }>; hearthEarningConfigListening?: boolean };
const cache = (store.hearthEarningConfigCache ??= new Map());
if (!store.hearthEarningConfigListening) {
  store.hearthEarningConfigListening = true;
  onConfigChange((programId) => invalidateEarningConfig(programId ?? undefined));
}

/** Call outside any transaction (it may need a pooled connection of its own). */
export function getCachedEarningConfig(programId: number): Promise<EarningConfig> {
  cachesTrusted(); // starts the LISTEN session on first use
  const hit = cache.get(programId);
  if (hit && hit.expires > Date.now()) return hit.value;
  const value = prisma.$transaction((tx) => loadEarningConfig(tx, programId));
  cache.set(programId, { value, expires: Date.now() + CACHE_TTL_MS });
  value.catch(() => cache.delete(programId));
  return value;
}

/** A copy read fresh inside a transaction (the cached one was older): the next orders use it. */
export function rememberEarningConfig(programId: number, config: EarningConfig) {
  cache.set(programId, { value: Promise.resolve(config), expires: Date.now() + CACHE_TTL_MS });
}

export function invalidateEarningConfig(programId?: number) {
  if (programId === undefined) cache.clear();
  else cache.delete(programId);
}

/**
 * Every earning rule and tier of the program in one round trip, read fresh inside the
 * caller's transaction so a console change applies to the very next order.
 */
export async function loadEarningConfig(tx: Tx, programId: number): Promise<EarningConfig> {
  const [row] = await tx.$queryRaw<{ rules: RuleRow[] | null; tiers: TierDef[] | null; policy: { tierBasis: string; tierWindow: string; tierGraceDays: number; configVersion: number } | null }[]>`
    SELECT
      (SELECT json_agg(json_build_object('id', r."id", 'kind', r."kind", 'name', r."name", 'version', r."version",
              'pointsPerUnitHundredths', r."pointsPerUnitHundredths", 'tierMultipliers', r."tierMultipliers", 'config', r."config",
              'totalCapPoints', r."totalCapPoints", 'isActive', r."isActive", 'startsAt', r."startsAt", 'endsAt', r."endsAt") ORDER BY r."id")
         FROM "EarnRule" r WHERE r."programId" = ${programId}) AS "rules",
      (SELECT json_agg(json_build_object('id', t."id", 'name', t."name", 'rank', t."rank", 'minSpendCents', t."minSpendCents", 'minPoints', t."minPoints", 'earlyAccessHours', t."earlyAccessHours") ORDER BY t."rank")
         FROM "Tier" t WHERE t."programId" = ${programId}) AS "tiers",
      (SELECT json_build_object('tierBasis', p."tierBasis", 'tierWindow', p."tierWindow", 'tierGraceDays', p."tierGraceDays", 'configVersion', p."configVersion")
         FROM "Program" p WHERE p."id" = ${programId}) AS "policy"`;
  const config = buildEarningConfig(row.rules ?? [], row.tiers ?? [], row.policy ? toTierPolicy(row.policy) : defaultTierPolicy);
  return { ...config, version: row.policy?.configVersion };
}

export function buildEarningConfig(rules: RuleRow[], tiers: TierDef[], tierPolicy: TierPolicy = defaultTierPolicy): EarningConfig {
  const config: EarningConfig = { rule: null, promotions: [], actions: {}, tiers, tierPolicy };
  for (const rule of rules) {
    const window = { isActive: rule.isActive, startsAt: utc(rule.startsAt), endsAt: utc(rule.endsAt) };
    if (rule.kind === "SPEND") {
      config.rule = {
        id: rule.id,
        version: rule.version,
        pointsPerUnitHundredths: rule.pointsPerUnitHundredths,
        tierMultipliers: rule.tierMultipliers ?? {},
        config: parseSpendConfig(rule.config),
        ...window,
      };
    } else if (rule.kind === "MULTIPLIER") {
      const parsed = multiplierConfigSchema.safeParse(rule.config);
      if (!parsed.success) continue;
      config.promotions.push({ id: rule.id, version: rule.version, name: rule.name, totalCapPoints: rule.totalCapPoints, ...parsed.data, ...window });
    } else if ((actionKinds as readonly string[]).includes(rule.kind)) {
      const kind = rule.kind as ActionKind;
      config.actions[kind] = { id: rule.id, version: rule.version, name: rule.name, config: parseActionConfig(kind, rule.config), ...window };
    }
  }
  return config;
}
