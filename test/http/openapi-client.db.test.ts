import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/test-app.ts";

// The web app's typed client is generated from this file (`npm run gen:api`); if the server's
// routes change without regenerating it, the UI would compile against an API that no longer exists.
const committed = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../web/src/api/openapi.json",
);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

it("the web client's OpenAPI document matches the server (run `npm run gen:api` after changing routes)", async () => {
  const live = JSON.parse(JSON.stringify(t.app.swagger()));
  const onDisk = JSON.parse(fs.readFileSync(committed, "utf8"));
  expect(Object.keys(onDisk.paths).sort()).toEqual(Object.keys(live.paths).sort());
  expect(onDisk).toEqual(live);
});
