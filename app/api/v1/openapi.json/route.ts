import { NextResponse } from "next/server";
import { buildOpenApiDocument } from "@/lib/api/openapi";

const document = buildOpenApiDocument();

export function GET() {
  return NextResponse.json(document, { headers: { "cache-control": "public, max-age=300" } });
}
