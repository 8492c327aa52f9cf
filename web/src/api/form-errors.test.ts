import { describe, expect, it } from "vitest";
import { formErrorsFrom } from "./form-errors";
import { ApiError } from "./problem";

const fields = ["name", "domain", "email"] as const;

function validation(errors: { path: string; message: string }[]): ApiError {
  return new ApiError(400, { type: "validation", title: "Bad request", status: 400, detail: "…", errors });
}

describe("formErrorsFrom", () => {
  it("pins each error on its field, in plain words when the server's are Ajv's", () => {
    const error = validation([
      { path: "/domain", message: 'must match pattern "\\."' },
      { path: "/domain", message: "must be null" },
      { path: "/domain", message: "must match a schema in anyOf" },
      { path: "/name", message: "must not be blank" },
    ]);
    expect(formErrorsFrom(error, fields, { hints: { domain: "Enter a domain like acme.com." } })).toEqual({
      fields: { domain: "Enter a domain like acme.com.", name: "Must not be blank." },
      form: null,
    });
  });

  it("puts errors about unknown fields above the form", () => {
    const error = validation([{ path: "/", message: "a value is out of range or in the wrong format" }]);
    expect(formErrorsFrom(error, fields)).toEqual({
      fields: {},
      form: "a value is out of range or in the wrong format",
    });
  });

  it("gives a 409 to the field it is about", () => {
    const error = new ApiError(409, {
      type: "conflict",
      title: "Conflict",
      status: 409,
      detail: "A contact with email jo@acme.com already exists",
    });
    expect(formErrorsFrom(error, fields, { conflictField: "email" })).toEqual({
      fields: { email: "A contact with email jo@acme.com already exists" },
      form: null,
    });
  });

  it("says plainly when the server could not be reached or failed", () => {
    expect(formErrorsFrom(ApiError.network(new Error("offline")), fields).form).toMatch(/can't be reached/);
    expect(formErrorsFrom(new ApiError(500, null), fields).form).toMatch(/Nothing was saved/);
  });
});
