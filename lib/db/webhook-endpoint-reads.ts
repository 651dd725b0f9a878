import "server-only";
import { AppError } from "@/lib/domain/app-error";
import { prisma } from "./prisma";

// Webhook endpoints as GET /webhook-endpoints shows them: never the signing secret, which is
// shown once, when the endpoint is created.
export const webhookEndpointSelect = { id: true, url: true, description: true, eventTypes: true, isActive: true, createdAt: true } as const;

export async function listWebhookEndpoints(programId: number) {
  return prisma.webhookEndpoint.findMany({ where: { programId }, orderBy: { id: "asc" }, select: webhookEndpointSelect });
}

export async function getWebhookEndpoint(programId: number, id: number) {
  const endpoint = await prisma.webhookEndpoint.findFirst({ where: { id, programId }, select: webhookEndpointSelect });
  if (!endpoint) throw new AppError("NOT_FOUND", "webhook endpoint not found");
  return endpoint;
}
