import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";
import { afterAll, describe, expect, test } from "vitest";
import { buildOpenApiDocument } from "./openapi";

// An integrator's view: generate the client types with openapi-typescript from the served
// document, then type-check an example integration (test/openapi/example/shop-integration.ts,
// openapi-fetch) against them with the TypeScript compiler. A field renamed or retyped in the
// document, or an endpoint dropped, breaks the example and so this test.

const root = path.resolve(__dirname, "../..");
const example = path.join(root, "test/openapi/example/shop-integration.ts");
const workDirs: string[] = [];

afterAll(() => {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

async function typeCheckExample(document: unknown): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "hearth-openapi-"));
  workDirs.push(dir);
  // the example imports openapi-fetch like any project would: from node_modules
  symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  const types = astToString(await openapiTS(document as Parameters<typeof openapiTS>[0]));
  writeFileSync(path.join(dir, "hearth-api.ts"), types);
  copyFileSync(example, path.join(dir, "shop-integration.ts"));
  const program = ts.createProgram([path.join(dir, "shop-integration.ts")], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    types: [],
    skipLibCheck: true,
    noUnusedLocals: true,
  });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file ? `${path.basename(diagnostic.file.fileName)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1} ` : "";
    return `${where}${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`;
  });
}

const fresh = () => JSON.parse(JSON.stringify(buildOpenApiDocument()));

describe("a typed client generated from the document", () => {
  test("openapi-typescript's types type-check the example integration", async () => {
    expect(await typeCheckExample(fresh())).toEqual([]);
  }, 60_000);

  test("a renamed response field in the document breaks the example", async () => {
    const document = fresh();
    const member = document.components.schemas.Member;
    member.properties.availablePoints = member.properties.points;
    delete member.properties.points;
    member.required = member.required.map((name: string) => (name === "points" ? "availablePoints" : name));
    const problems = await typeCheckExample(document);
    expect(problems.join("\n")).toMatch(/Property 'points' does not exist/);
  }, 60_000);

  test("a changed request body or a dropped endpoint breaks the example", async () => {
    const document = fresh();
    delete document.paths["/redemptions/{code}"];
    const order = document.paths["/orders"].post.requestBody.content["application/json"].schema;
    order.properties.lines.items.properties.price = order.properties.lines.items.properties.unitPrice;
    delete order.properties.lines.items.properties.unitPrice;
    order.properties.lines.items.required = ["sku", "quantity", "price"];
    const problems = (await typeCheckExample(document)).join("\n");
    expect(problems).toMatch(/"\/redemptions\/\{code\}"/);
    expect(problems).toMatch(/unitPrice/);
  }, 60_000);
});
