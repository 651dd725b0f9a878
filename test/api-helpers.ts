import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { prisma } from "@/lib/db/prisma";
import { generateApiKey, hashApiKey } from "@/lib/api/api-key";
import { GET as getOpenApiDocument } from "@/app/api/v1/openapi.json/route";

/** A key for tests; the rate limit is high unless a test is about rate limiting. */
export async function createApiKey(programId: number, { rateLimitPerMinute = 1_000_000 }: { rateLimitPerMinute?: number } = {}) {
  const key = generateApiKey();
  const record = await prisma.apiKey.create({ data: { programId, name: "test", prefix: key.slice(0, 12), hash: hashApiKey(key), rateLimitPerMinute } });
  return { key, id: record.id };
}

export function jsonRequest(url: string, { key, body, idempotencyKey, method = "POST", rawBody }: { key?: string; body?: unknown; idempotencyKey?: string; method?: string; rawBody?: string }) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
  return new Request(`http://localhost${url}`, {
    method,
    headers,
    body: method === "GET" ? undefined : rawBody ?? JSON.stringify(body),
  });
}

/** A fingerprint of everything the ledger holds; any change to points changes it. */
export async function ledgerChecksum() {
  const [row] = await prisma.$queryRaw<{ checksum: string }[]>`
    SELECT md5(string_agg(x, ',' ORDER BY x)) AS checksum FROM (
      SELECT 'e' || "id" || ':' || "amount" AS x FROM "LedgerEntry"
      UNION ALL SELECT 'a' || "id" || ':' || "balance" || ':' || "debt" FROM "LedgerAccount"
      UNION ALL SELECT 'l' || "id" || ':' || "remaining" FROM "PointLot"
      UNION ALL SELECT 'o' || "id" FROM "Order"
      UNION ALL SELECT 'r' || "id" || ':' || COALESCE("stock", -1) FROM "Reward"
    ) t`;
  return row.checksum;
}

// --- real answers against the served OpenAPI document (ajv + ajv-formats, JSON Schema 2020-12)

type OpenApiResponse = { $ref?: string; content?: Record<string, { schema: unknown }> };
type OpenApiDocument = {
  paths: Record<string, Record<string, { responses: Record<string, OpenApiResponse> }>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, OpenApiResponse> };
};

const DOCUMENT_ID = "https://hearth.test/api/v1/openapi.json";
let served: Promise<{ document: OpenApiDocument; ajv: Ajv2020 }> | undefined;
const validators = new Map<string, ValidateFunction>();

/** The document as GET /api/v1/openapi.json serves it, its component schemas loaded into ajv. */
function servedDocument() {
  served ??= (async () => {
    const document = (await getOpenApiDocument().json()) as OpenApiDocument;
    // strict: a keyword ajv doesn't know (a typo, an OpenAPI-only word) is an error, not ignored
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(JSON.parse(JSON.stringify({ $id: DOCUMENT_ID, $defs: document.components.schemas }).replaceAll('"#/components/schemas/', '"#/$defs/')));
    return { document, ajv };
  })();
  return served;
}

/**
 * Checks an answer against the OpenAPI document: the operation ("get /members/{externalId}")
 * must document the status, and the JSON body must match that status's schema. Returns the body.
 */
export async function expectDocumented(response: Response, operation: string): Promise<any> {
  const { document, ajv } = await servedDocument();
  const [method, path] = operation.split(" ");
  const documented = document.paths[path]?.[method.toLowerCase()];
  if (!documented) throw new Error(`${operation} is not in the OpenAPI document`);
  let answer = documented.responses[String(response.status)];
  if (!answer) throw new Error(`${operation} answered ${response.status}, which the OpenAPI document does not list (${Object.keys(documented.responses).join(", ")})`);
  if (answer.$ref) answer = document.components.responses[answer.$ref.replace("#/components/responses/", "")];
  const type = response.headers.get("content-type") ?? "";
  if (!type.includes("application/json")) throw new Error(`${operation} ${response.status} answered ${type || "no content type"}, not JSON`);
  const schema = answer.content?.["application/json"]?.schema;
  if (!schema) throw new Error(`${operation} ${response.status} has no JSON schema in the document`);
  const key = `${operation} ${response.status}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${DOCUMENT_ID}#/$defs/`)));
    validators.set(key, validate);
  }
  const body = await response.json();
  if (!validate(body)) {
    throw new Error(`${key}: the body does not match the OpenAPI document:\n${ajv.errorsText(validate.errors, { separator: "\n" })}\n${JSON.stringify(body).slice(0, 2000)}`);
  }
  return body;
}
