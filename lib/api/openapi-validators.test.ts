import SwaggerParser from "@apidevtools/swagger-parser";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, test } from "vitest";
import { buildOpenApiDocument } from "./openapi";

// The served document checked by three independent validators, none of them ours: each reads
// the OpenAPI 3.1 specification its own way, so a mistake one tolerates another catches.

const document = buildOpenApiDocument();
const fresh = () => JSON.parse(JSON.stringify(document));

describe("GET /api/v1/openapi.json is a valid OpenAPI 3.1 document", () => {
  test("@apidevtools/swagger-parser: validates against the 3.1 schema and every $ref resolves", async () => {
    const api = await SwaggerParser.validate(fresh());
    expect(api.info.title).toBe("Hearth API");
    // dereferencing proves each $ref points at something
    const dereferenced = (await SwaggerParser.dereference(fresh())) as unknown as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>> };
    expect(JSON.stringify(dereferenced.paths["/members/{externalId}"].get.responses["200"])).toContain("erasedAt");
  });

  test("@redocly/openapi-core: the recommended rules report no error and no warning", async () => {
    const config = await createConfig({
      extends: ["recommended"],
      rules: {
        // the project has not chosen a licence yet; declaring one here would be false
        "info-license": "off",
        "info-license-url": "off",
        // an explicit rule beyond recommended: every operation documents a 4xx
        "operation-4xx-response": "error",
      },
    });
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: "/openapi.json", config });
    expect(problems.map((problem) => `${problem.severity} ${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer}`)).toEqual([]);
  });

  test("@seriousme/openapi-schema-validator: valid against the official 3.1 JSON schema", async () => {
    const validator = new Validator();
    const result = await validator.validate(fresh());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  test("every timestamp is a date-time and every day a date", () => {
    const offenders: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (Array.isArray(node)) return node.forEach((item, index) => walk(item, `${path}/${index}`));
      if (!node || typeof node !== "object") return;
      for (const [key, value] of Object.entries(node)) {
        if (key === "properties" && value && typeof value === "object") {
          for (const [name, property] of Object.entries(value as Record<string, unknown>)) {
            const text = JSON.stringify(property);
            if (/At$|Until$/.test(name) && !text.includes('"format":"date-time"')) offenders.push(`${path}/${name}`);
            if (/^(birthday|first|last|asOf|lastOrderDay)$/.test(name) && !text.includes('"format":"date"')) offenders.push(`${path}/${name}`);
          }
        }
        walk(value, `${path}/${key}`);
      }
    };
    walk(document.components.schemas, "#/components/schemas");
    expect(offenders).toEqual([]);
  });

  test("each validator rejects a broken copy (so a green run means something)", async () => {
    const broken = fresh();
    broken.paths["/tiers"].get.responses["200"].content["application/json"].schema = { $ref: "#/components/schemas/NoSuchSchema" };
    broken.paths["/rewards"].get.summary = 42;
    await expect(SwaggerParser.validate(JSON.parse(JSON.stringify(broken)))).rejects.toThrow();
    const config = await createConfig({ extends: ["recommended"] });
    const problems = await lintFromString({ source: JSON.stringify(broken), absoluteRef: "/openapi.json", config });
    expect(problems.map((problem) => problem.ruleId)).toEqual(expect.arrayContaining(["no-unresolved-refs", "struct"]));
    expect((await new Validator().validate(JSON.parse(JSON.stringify(broken)))).valid).toBe(false);
  });
});
