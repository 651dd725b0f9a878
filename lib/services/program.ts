import "server-only";
import { prisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";

export const DEFAULT_PROGRAM_SLUG = "default";

export type ProgramSettings = {
  id: number;
  name: string;
  currency: string;
  pointValueMillis: number;
  pendingDays: number;
  expiryMonths: number | null;
  /** AFTER_EARNING: a lot expires N months after it was earned; INACTIVITY: N months after the member's last activity */
  expiryPolicy: string;
  expiringSoonDays: number;
};

export const programSelect = { id: true, name: true, currency: true, pointValueMillis: true, pendingDays: true, expiryMonths: true, expiryPolicy: true, expiringSoonDays: true } as const;

export async function getProgramById(id: number): Promise<ProgramSettings> {
  const program = await prisma.program.findUnique({ where: { id }, select: programSelect });
  if (!program) throw new AppError("NOT_FOUND", "program not found");
  return program;
}

/** The program this installation runs (one per installation for now). */
export async function getProgram(): Promise<ProgramSettings> {
  const program = await prisma.program.findUnique({
    where: { slug: DEFAULT_PROGRAM_SLUG },
    select: programSelect,
  });
  if (!program) throw new AppError("NOT_FOUND", "program not set up");
  return program;
}
