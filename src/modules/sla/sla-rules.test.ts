import { describe, expect, it } from "vitest";
import { ALWAYS_OPEN, BusinessCalendar } from "./business-time.ts";
import {
  type CaseFacts,
  choosePolicy,
  clockPoints,
  conditionsMet,
  raised,
  warningAfter,
} from "./sla-rules.ts";

const facts = (over: Partial<CaseFacts> = {}): CaseFacts => ({
  priority: "normal",
  channel: "email",
  product: "Billing",
  accountTier: "standard",
  entitlement: null,
  ...over,
});

const policies = [
  {
    id: "p-key-urgent",
    name: "Key urgent",
    position: 1,
    appliesWhen: { priority: ["urgent" as const], accountTier: ["key" as const] },
  },
  { id: "p-billing", name: "Billing", position: 5, appliesWhen: { product: ["billing", "Invoices"] } },
  { id: "p-phone", name: "Phone", position: 7, appliesWhen: { channel: ["phone"] } },
  { id: "p-entitled", name: "Entitled", position: 8, appliesWhen: { entitled: true } },
  { id: "p-default", name: "Default", position: 100, appliesWhen: {} },
];

describe("choosePolicy", () => {
  it.each([
    [
      "urgent on a key account",
      facts({ priority: "urgent", accountTier: "key" }),
      "p-key-urgent",
      /priority = urgent; account tier = key/,
    ],
    [
      "urgent on a standard account falls through to product",
      facts({ priority: "urgent" }),
      "p-billing",
      /product = Billing/,
    ],
    ["product matches case-insensitively", facts({ product: "INVOICES" }), "p-billing", /product = INVOICES/],
    ["channel", facts({ product: null, channel: "phone" }), "p-phone", /channel = phone/],
    [
      "entitled",
      facts({ product: null, entitlement: { name: "Gold", slaPolicyId: null } }),
      "p-entitled",
      /entitled \(Gold\)/,
    ],
    ["nothing specific: the default", facts({ product: null }), "p-default", /applies to every case/],
    [
      "no account tier never matches a tier condition",
      facts({ priority: "urgent", accountTier: null, product: null }),
      "p-default",
      /every case/,
    ],
  ])("%s", (_label, c, id, reason) => {
    const choice = choosePolicy(policies, c);
    expect(choice?.policy.id).toBe(id);
    expect(choice?.reason).toMatch(reason);
  });

  it("an entitlement's own policy wins over the order", () => {
    const choice = choosePolicy(
      policies,
      facts({
        priority: "urgent",
        accountTier: "key",
        entitlement: { name: "Gold", slaPolicyId: "p-phone" },
      }),
    );
    expect(choice?.policy.id).toBe("p-phone");
    expect(choice?.reason).toMatch(/entitlement "Gold" brings this policy/);
  });

  it("no policy matches: null", () => {
    expect(choosePolicy(policies.slice(0, 3), facts({ product: null }))).toBeNull();
  });

  it("conditionsMet: every present condition must hold", () => {
    expect(conditionsMet({ priority: ["high"], channel: ["email"] }, facts({ priority: "high" }))).toEqual([
      "priority = high",
      "channel = email",
    ]);
    expect(conditionsMet({ priority: ["high"], channel: ["phone"] }, facts({ priority: "high" }))).toBeNull();
    expect(conditionsMet({ entitled: false }, facts())).toEqual(["no entitlement"]);
  });
});

describe("clock points", () => {
  const cal = new BusinessCalendar({ timeZone: "UTC", hours: ALWAYS_OPEN, holidays: [] });
  const at = new Date("2026-03-02T09:00:00Z");

  it("warning by percent or minutes before", () => {
    expect(warningAfter(120, { percent: 75, minutesBefore: null })).toBe(90);
    expect(warningAfter(120, { percent: null, minutesBefore: 30 })).toBe(90);
    expect(warningAfter(120, { percent: null, minutesBefore: null })).toBeNull();
  });

  it("counts the remaining target from the segment start, after used minutes", () => {
    const p = clockPoints(
      cal,
      { targetMinutes: 120, usedMinutes: 60, runningSince: at },
      { percent: 75, minutesBefore: null },
    );
    expect(p.dueAt.toISOString()).toBe("2026-03-02T10:00:00.000Z");
    expect(p.warningAt?.toISOString()).toBe("2026-03-02T09:30:00.000Z");
  });

  it("a point already passed in an earlier segment is due at once", () => {
    const p = clockPoints(
      cal,
      { targetMinutes: 30, usedMinutes: 45, runningSince: at },
      { percent: 50, minutesBefore: null },
    );
    expect(p.dueAt).toEqual(at);
    expect(p.warningAt).toEqual(at);
  });

  it("raises priority one step, urgent stays urgent", () => {
    expect(raised("low")).toBe("normal");
    expect(raised("high")).toBe("urgent");
    expect(raised("urgent")).toBe("urgent");
  });
});
