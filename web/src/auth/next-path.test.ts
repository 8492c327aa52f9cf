import { describe, expect, it } from "vitest";
import { loginPathFor, safeNextPath } from "./next-path";
import { signedOutAfter } from "./session";

describe("safeNextPath", () => {
  it("keeps same-origin paths with their query and hash", () => {
    expect(safeNextPath("/cases/42?tab=thread#m-7")).toBe("/cases/42?tab=thread#m-7");
  });

  it.each([
    null,
    "",
    "cases",
    "https://evil.example/",
    "//evil.example/path",
    "/\\evil.example",
    "javascript:alert(1)",
    "/login",
    "/login?next=%2Fcases",
  ])("falls back to / for %j", (raw) => {
    expect(safeNextPath(raw)).toBe("/");
  });
});

describe("loginPathFor", () => {
  it("remembers where the user was going", () => {
    expect(loginPathFor({ pathname: "/reports", search: "?range=30d", hash: "" })).toBe(
      "/login?next=%2Freports%3Frange%3D30d",
    );
  });

  it("leaves the default out", () => {
    expect(loginPathFor({ pathname: "/", search: "", hash: "" })).toBe("/login");
  });
});

describe("signedOutAfter", () => {
  it("calls a 401 after a signed-in session an expiry", () => {
    const user = {
      id: "u1",
      email: "a@example.test",
      name: "A",
      role: "agent",
      status: "available",
      teamIds: [],
    } as const;
    expect(signedOutAfter({ status: "signed-in", user } as never)).toEqual({
      status: "signed-out",
      reason: "expired",
    });
  });

  it("keeps the reason it already had, or says nobody signed in", () => {
    expect(signedOutAfter({ status: "signed-out", reason: "signed-out" })).toEqual({
      status: "signed-out",
      reason: "signed-out",
    });
    expect(signedOutAfter(undefined)).toEqual({ status: "signed-out", reason: "anonymous" });
  });
});
