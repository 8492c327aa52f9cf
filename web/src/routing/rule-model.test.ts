import { describe, expect, it } from "vitest";
import type { TRule } from "./api";
import {
  actionsSummary,
  bodyOf,
  conditionsSummary,
  draftOf,
  newDraft,
  newSample,
  sampleBody,
  type TNames,
  unreachable,
} from "./rule-model";

const names: TNames = {
  queue: (id) => ({ q1: "Invoices" })[id],
  team: (id) => ({ t1: "Billing" })[id],
  user: (id) => ({ u1: "Ann Lee" })[id],
  calendar: (id) => ({ c1: "London office" })[id],
};

const rule = (over: Partial<TRule>): TRule => ({
  id: "r",
  name: "Rule",
  order: 10,
  active: true,
  continue: false,
  when: {},
  then: {},
  createdAt: "2026-03-02T09:00:00Z",
  updatedAt: "2026-03-02T09:00:00Z",
  ...over,
});

describe("draft ↔ body", () => {
  it("a new rule sends only what is set", () => {
    const d = { ...newDraft(20), name: "  Billing ", product: ["Billing Portal"], queueId: "q1" };
    expect(bodyOf(d)).toEqual({
      name: "Billing",
      order: 20,
      active: true,
      continue: false,
      when: { product: ["Billing Portal"] },
      then: { queueId: "q1" },
    });
  });

  it("round-trips every condition and action", () => {
    const r = rule({
      when: {
        priority: ["urgent"],
        channel: ["email"],
        accountTier: ["key"],
        healthBand: ["at_risk"],
        product: ["Dashboards"],
        category: ["Bug"],
        language: ["de"],
        tags: ["vip"],
        keywords: ["crash", "refund*"],
        accountOwnerId: ["u1"],
        withinHours: { calendarId: "c1", inside: false },
      },
      then: {
        queueId: "q1",
        teamId: "t1",
        priority: "high",
        assignToAccountOwner: true,
        tags: ["escalated"],
      },
      continue: true,
    });
    const body = bodyOf(draftOf(r));
    expect(body.when).toEqual(r.when);
    expect(body.then).toEqual(r.then);
    expect(body.continue).toBe(true);
  });

  it("the owner choice: a named user, the account owner, or nobody", () => {
    const d = newDraft(1);
    expect(bodyOf({ ...d, ownerMode: "user", ownerId: "u1" }).then).toEqual({ ownerId: "u1" });
    expect(bodyOf({ ...d, ownerMode: "account", ownerId: "u1" }).then).toEqual({
      assignToAccountOwner: true,
    });
    expect(bodyOf({ ...d, ownerMode: "none", ownerId: "u1" }).then).toEqual({});
    // Business hours without a calendar is no condition.
    expect(bodyOf({ ...d, hoursMode: "inside", calendarId: null }).when).toEqual({});
  });
});

describe("summaries", () => {
  it("conditions in words", () => {
    expect(conditionsSummary({}, names)).toBe("Every case");
    expect(
      conditionsSummary(
        {
          product: ["Billing Portal", "Invoices"],
          keywords: ["invoice", "refund"],
          accountTier: ["key"],
          withinHours: { calendarId: "c1", inside: true },
        },
        names,
      ),
    ).toBe(
      "Product Billing Portal or Invoices · words invoice, refund · key account · inside London office hours",
    );
    expect(conditionsSummary({ accountOwnerId: ["gone"] }, names)).toBe("Account owner someone removed");
  });

  it("actions in words", () => {
    expect(actionsSummary({}, names)).toBe("Nothing (stops here)");
    expect(actionsSummary({ queueId: "q1", priority: "urgent", tags: ["vip"] }, names)).toBe(
      "Queue Invoices · priority Urgent · tag vip",
    );
    expect(actionsSummary({ assignToAccountOwner: true, teamId: "x" }, names)).toBe(
      "Team (removed) · owner: the account owner",
    );
  });
});

describe("unreachable rules", () => {
  it("everything after a catch-all that does not continue", () => {
    const rules = [
      rule({ id: "a", when: { product: ["X"] } }),
      rule({ id: "b", continue: true }),
      rule({ id: "c", active: false }),
      rule({ id: "d" }),
      rule({ id: "e", when: { priority: ["urgent"] } }),
      rule({ id: "f", active: false }),
    ];
    expect([...unreachable(rules)]).toEqual(["e"]);
  });
});

describe("the tester's sample", () => {
  it("leaves blanks out and sends a subject", () => {
    expect(sampleBody(newSample())).toEqual({ subject: "(no subject)" });
    expect(
      sampleBody({
        ...newSample(),
        subject: "Invoice",
        product: " Billing ",
        language: "DE",
        priority: "high",
      }),
    ).toEqual({ subject: "Invoice", product: "Billing", language: "de", priority: "high" });
  });
});
