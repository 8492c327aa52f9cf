import { describe, expect, it } from "vitest";
import { fieldErrors, statusFor } from "./problem.ts";

describe("fieldErrors", () => {
  it("names the missing property and the unknown one", () => {
    expect(
      fieldErrors(
        [
          { instancePath: "", keyword: "required", params: { missingProperty: "email" }, message: "x" },
          {
            instancePath: "",
            keyword: "additionalProperties",
            params: { additionalProperty: "tier" },
            message: "x",
          },
        ],
        "body",
      ),
    ).toEqual([
      { path: "/email", message: "is required" },
      { path: "/tier", message: "is not a known field" },
    ]);
  });

  it("collapses a nullable field's three branch errors into the useful one", () => {
    expect(
      fieldErrors(
        [
          {
            instancePath: "/domain",
            keyword: "pattern",
            params: { pattern: "\\." },
            message: 'must match pattern "\\."',
          },
          { instancePath: "/domain", keyword: "type", params: { type: "null" }, message: "must be null" },
          { instancePath: "/domain", keyword: "anyOf", params: {}, message: "must match a schema in anyOf" },
        ],
        "body",
      ),
    ).toEqual([{ path: "/domain", message: 'must match pattern "\\."' }]);
  });

  it("prefixes query-string errors with where they came from", () => {
    expect(
      fieldErrors(
        [{ instancePath: "/limit", keyword: "minimum", params: {}, message: "must be >= 1" }],
        "querystring",
      ),
    ).toEqual([{ path: "/limit", message: "querystring must be >= 1" }]);
  });
});

describe("statusFor", () => {
  it.each([
    ["validation", 400],
    ["unauthenticated", 401],
    ["forbidden", 403],
    ["not_found", 404],
    ["conflict", 409],
    ["rule", 422],
    ["rate_limited", 429],
  ] as const)("%s → %i", (code, status) => {
    expect(statusFor(code)).toBe(status);
  });
});
