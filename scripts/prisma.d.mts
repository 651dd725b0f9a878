// Types for scripts/prisma.mjs (used by tests).
export function prismaEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export function runPrisma(args: string[], env?: NodeJS.ProcessEnv): number;
