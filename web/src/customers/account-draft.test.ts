import { describe, expect, it } from "vitest";
import { accountPatchBody, createAccountBody, draftFromAccount, emptyAccountDraft } from "./account-draft";
import type { TAccount } from "./api";

const account: TAccount = {
  id: "0190a0a0-0000-7000-8000-000000000001",
  name: "Acme",
  annualRevenue: 125_000,
  tier: "standard",
  ownerId: "0190a0a0-0000-7000-8000-0000000000aa",
  domain: "acme.com",
  industry: "Software",
  country: "DE",
  timeZone: "Europe/Berlin",
  customerSince: "2021-03-03",
  health: { score: null, band: null },
  createdAt: "2024-01-01T00:00:00.000Z",
  updatedAt: "2024-01-01T00:00:00.000Z",
};

describe("createAccountBody", () => {
  it("leaves empty optional fields out, so the server's defaults apply", () => {
    expect(createAccountBody({ ...emptyAccountDraft(), name: "  Globex  " })).toEqual({ name: "Globex" });
  });

  it("sends what was filled in, trimmed", () => {
    expect(
      createAccountBody({
        ...emptyAccountDraft(),
        name: "Globex",
        domain: " globex.com ",
        annualRevenue: 1200.5,
        ownerId: "u1",
        industry: "Energy ",
        country: "US",
        timeZone: "America/Chicago",
      }),
    ).toEqual({
      name: "Globex",
      domain: "globex.com",
      annualRevenue: 1200.5,
      ownerId: "u1",
      industry: "Energy",
      country: "US",
      timeZone: "America/Chicago",
    });
  });
});

describe("accountPatchBody", () => {
  it("is empty when nothing changed", () => {
    expect(accountPatchBody(account, draftFromAccount(account))).toEqual({});
  });

  it("sends only the fields that changed", () => {
    const draft = { ...draftFromAccount(account), name: "Acme GmbH", annualRevenue: "250000" };
    expect(accountPatchBody(account, draft)).toEqual({ name: "Acme GmbH", annualRevenue: 250_000 });
  });

  it("turns an emptied optional field into null, and an emptied revenue into 0", () => {
    const draft = {
      ...draftFromAccount(account),
      domain: " ",
      industry: "",
      country: null,
      ownerId: null,
      customerSince: "",
      annualRevenue: "",
    };
    expect(accountPatchBody(account, draft)).toEqual({
      domain: null,
      industry: null,
      country: null,
      ownerId: null,
      customerSince: null,
      annualRevenue: 0,
    });
  });

  it("never clears the time zone (it has no empty value)", () => {
    expect(accountPatchBody(account, { ...draftFromAccount(account), timeZone: null })).toEqual({});
  });
});
