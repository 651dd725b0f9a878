import { NextResponse } from "next/server";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { otherMethods } from "@/lib/api/methods";

const document = buildOpenApiDocument();

export function GET() {
  return NextResponse.json(document, { headers: { "cache-control": "public, max-age=300" } });
}

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
