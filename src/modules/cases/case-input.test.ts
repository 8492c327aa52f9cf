import { describe, expect, it } from "vitest";
import { AppError } from "../../platform/errors.ts";
import { parseDate, translateConstraint } from "./case-input.ts";

describe("constraint races become 4xx", () => {
  it.each([
    ["cases_owner_id_fkey", "/ownerId"],
    ["cases_related_case_id_fkey", "/relatedCaseId"],
    ["cases_merged_into_id_fkey", "/mergedIntoId"],
    ["case_messages_author_id_fkey", "/authorId"],
    ["something_else", "/"],
  ])("a foreign-key violation of %s names %s", (constraint, path) => {
    const e = translateConstraint({ code: "23503", constraint });
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).extra.errors?.[0]?.path).toBe(path);
  });

  it("a unique violation is a conflict; anything else passes through", () => {
    expect((translateConstraint({ code: "23505" }) as AppError).code).toBe("conflict");
    const other = new Error("boom");
    expect(translateConstraint(other)).toBe(other);
  });
});

describe("dates", () => {
  it.each(["0001-01-01T00:00:00Z", "1899-12-31T23:59:59Z", "not a date"])("refuses %s", (v) => {
    expect(() => parseDate(v, "/at")).toThrow(AppError);
  });
  it("accepts an ordinary one", () => {
    expect(parseDate("2026-03-02T09:00:00Z", "/at").toISOString()).toBe("2026-03-02T09:00:00.000Z");
  });
});
