import { describe, expect, it } from "vitest";
import {
  type CaseFacts,
  checkConditions,
  type Directory,
  evaluateRules,
  type Given,
  keywordHits,
  NOTHING_GIVEN,
  type Placement,
  type RuleSpec,
  type RuleWhen,
} from "./routing-rules.ts";

/** 2026-03-02 is a Monday; the "office" calendar is open 09:00–17:00 UTC on weekdays. */
const office = {
  name: "Office",
  isOpen: (at: Date) =>
    at.getUTCDay() >= 1 && at.getUTCDay() <= 5 && at.getUTCHours() >= 9 && at.getUTCHours() < 17,
};

const dir: Directory = {
  team: (id) => ({ billing: { name: "Billing" }, tech: { name: "Tech" }, vip: { name: "VIP desk" } })[id],
  queue: (id) =>
    ({
      invoices: { name: "Invoices", teamId: "billing" },
      bugs: { name: "Bugs", teamId: "tech" },
      loose: { name: "Loose", teamId: null },
    })[id],
  user: (id) =>
    ({
      ann: { name: "Ann Lee", active: true },
      bob: { name: "Bob Roy", active: true },
      gone: { name: "Gone Person", active: false },
    })[id],
  calendar: (id) => (id === "office" ? office : undefined),
};

const base: CaseFacts = {
  subject: "Invoice shows the wrong VAT",
  description: "Our March invoice has 19% instead of 7%.",
  priority: "normal",
  channel: "email",
  product: "Billing Portal",
  category: "Billing question",
  tags: ["vat"],
  language: "de",
  accountTier: "key",
  healthBand: "watch",
  accountOwnerId: "ann",
  receivedAt: new Date("2026-03-02T10:00:00Z"),
};

const facts = (over: Partial<CaseFacts> = {}): CaseFacts => ({ ...base, ...over });
const start: Placement = { teamId: null, queueId: null, priority: "normal", ownerId: null, tags: ["vat"] };

describe("checkConditions: each condition, matching and not", () => {
  const cases: [string, RuleWhen, Partial<CaseFacts>, string | null][] = [
    // [name, when, facts override, expected reason when matched / null when not]
    ["no conditions", {}, {}, ""],
    ["priority in list", { priority: ["normal", "high"] }, {}, "priority = normal"],
    ["priority not in list", { priority: ["urgent"] }, {}, null],
    ["channel", { channel: ["email"] }, {}, "channel = email"],
    ["channel other", { channel: ["phone"] }, {}, null],
    ["product, any case and spacing", { product: [" billing portal "] }, {}, "product = Billing Portal"],
    ["product other", { product: ["Dashboards"] }, {}, null],
    ["product missing", { product: ["Billing Portal"] }, { product: null }, null],
    ["category", { category: ["billing QUESTION"] }, {}, "category = Billing question"],
    ["language", { language: ["fr", "de"] }, {}, "language = de"],
    ["language missing (no contact)", { language: ["de"] }, { language: null }, null],
    ["tags: any of", { tags: ["vip", "VAT"] }, {}, "tag VAT"],
    ["tags: none", { tags: ["vip"] }, {}, null],
    ["keywords: a whole word", { keywords: ["refund", "invoice"] }, {}, "keyword: invoice"],
    ["keywords: not inside another word", { keywords: ["voice"] }, {}, null],
    ["keywords: a prefix with *", { keywords: ["invoic*"] }, {}, "keyword: invoic*"],
    ["keywords: in the description", { keywords: ["March"] }, {}, "keyword: March"],
    ["keywords: a phrase", { keywords: ["wrong vat"] }, {}, "keyword: wrong vat"],
    ["account tier", { accountTier: ["key"] }, {}, "account tier = key"],
    ["account tier, no account", { accountTier: ["key", "standard"] }, { accountTier: null }, null],
    ["health band", { healthBand: ["watch", "at_risk"] }, {}, "health = watch"],
    ["health band not scored", { healthBand: ["healthy"] }, { healthBand: null }, null],
    ["account owner", { accountOwnerId: ["bob", "ann"] }, {}, "account owner = Ann Lee"],
    ["account owner other", { accountOwnerId: ["bob"] }, {}, null],
    [
      "inside business hours",
      { withinHours: { calendarId: "office", inside: true } },
      {},
      "received inside business hours (Office)",
    ],
    [
      "inside hours, received at night",
      { withinHours: { calendarId: "office", inside: true } },
      { receivedAt: new Date("2026-03-02T22:00:00Z") },
      null,
    ],
    [
      "outside hours",
      { withinHours: { calendarId: "office", inside: false } },
      { receivedAt: new Date("2026-03-07T10:00:00Z") },
      "received outside business hours (Office)",
    ],
    ["calendar deleted", { withinHours: { calendarId: "nope", inside: true } }, {}, null],
    [
      "all together",
      { priority: ["normal"], product: ["Billing Portal"], keywords: ["invoice"] },
      {},
      "priority = normal; product = Billing Portal; keyword: invoice",
    ],
    ["all but one", { priority: ["normal"], product: ["Billing Portal"], keywords: ["crash"] }, {}, null],
  ];
  it.each(cases)("%s", (_name, when, over, expected) => {
    const check = checkConditions(when, facts(over), dir);
    if (expected === null) {
      expect(check.matched).toBe(false);
      if (!check.matched) expect(check.failed.length).toBeGreaterThan(0);
    } else {
      expect(check).toEqual({ matched: true, reasons: expected === "" ? [] : expected.split("; ") });
    }
  });

  it("says which condition failed", () => {
    expect(checkConditions({ priority: ["urgent"] }, facts(), dir)).toEqual({
      matched: false,
      failed: "priority is normal, not urgent",
    });
    expect(checkConditions({ keywords: ["crash", "error"] }, facts(), dir)).toEqual({
      matched: false,
      failed: "none of the words crash, error in the subject or description",
    });
  });
});

describe("keywordHits", () => {
  it.each([
    [["invoice"], "INVOICE overdue", ["invoice"]],
    [["invoice"], "invoices overdue", []],
    [["invoice*"], "invoices overdue", ["invoice*"]],
    [["c++"], "our c++ sdk", ["c++"]],
    [["zahlung"], "Zahlung fehlgeschlagen", ["zahlung"]],
    [["café"], "le café est froid", ["café"]],
    [["password reset"], "password\nreset link broken", ["password reset"]],
    [["a.b"], "axb", []],
  ] as const)("%j in %j", (keywords, text, hits) => {
    expect(keywordHits([...keywords], text)).toEqual(hits);
  });
});

const rule = (id: string, name: string, when: RuleWhen, then: RuleSpec["then"], cont = false): RuleSpec => ({
  id,
  name,
  when,
  then,
  continue: cont,
});

describe("evaluateRules", () => {
  const vip = rule("r1", "Key accounts", { accountTier: ["key"] }, { tags: ["vip"] }, true);
  const billing = rule(
    "r2",
    "Billing",
    { product: ["Billing Portal"], keywords: ["invoice"] },
    { queueId: "invoices", priority: "high" },
  );
  const bugs = rule("r3", "Bugs", { keywords: ["crash"] }, { queueId: "bugs" });
  const fallback = rule("r4", "Everything else", {}, { teamId: "tech" });

  it("the first match wins and explains itself", () => {
    const e = evaluateRules([billing, bugs, fallback], facts(), start, NOTHING_GIVEN, dir);
    expect(e.matched.map((s) => s.rule.id)).toEqual(["r2"]);
    expect(e.placement).toEqual({
      teamId: "billing",
      queueId: "invoices",
      priority: "high",
      ownerId: null,
      tags: ["vat"],
    });
    expect(e.explanation).toBe(
      "matched rule 1 'Billing': product = Billing Portal; keyword: invoice → queue 'Invoices', priority high",
    );
    // Rules after the match are not looked at.
    expect(e.trace.map((s) => s.rule.id)).toEqual(["r2"]);
  });

  it("continue lets later rules match too, seeing what earlier ones did", () => {
    const urgentVip = rule("r5", "Urgent VIP", { tags: ["vip"] }, { priority: "urgent" });
    const e = evaluateRules([vip, urgentVip, billing], facts(), start, NOTHING_GIVEN, dir);
    expect(e.matched.map((s) => s.rule.id)).toEqual(["r1", "r5"]);
    expect(e.placement.tags).toEqual(["vat", "vip"]);
    expect(e.placement.priority).toBe("urgent");
    expect(e.explanation).toBe(
      "matched rule 1 'Key accounts': account tier = key → tag vip; then rule 2 'Urgent VIP': tag vip → priority urgent",
    );
  });

  it("a later rule overrides an earlier one's field", () => {
    const toTech = rule("r6", "Tech first", {}, { teamId: "tech" }, true);
    const toVip = rule("r7", "VIP desk", { accountTier: ["key"] }, { teamId: "vip" });
    expect(evaluateRules([toTech, toVip], facts(), start, NOTHING_GIVEN, dir).placement.teamId).toBe("vip");
  });

  it("the default rule catches what nothing else did", () => {
    const e = evaluateRules(
      [bugs, fallback],
      facts({ subject: "Question", description: null }),
      start,
      NOTHING_GIVEN,
      dir,
    );
    expect(e.explanation).toBe("matched rule 2 'Everything else': no conditions → team 'Tech'");
    expect(e.trace.map((s) => [s.rule.id, s.check.matched])).toEqual([
      ["r3", false],
      ["r4", true],
    ]);
  });

  it("no match and no rules", () => {
    expect(evaluateRules([bugs], facts(), start, NOTHING_GIVEN, dir).explanation).toBe(
      "no routing rule matched",
    );
    expect(evaluateRules([], facts(), start, NOTHING_GIVEN, dir).explanation).toBe(
      "no routing rules are set up",
    );
    expect(evaluateRules([bugs], facts(), start, NOTHING_GIVEN, dir).placement).toEqual(start);
  });

  it("what the caller set wins over a rule, and says so", () => {
    const given: Given = { priority: true, ownerId: false, teamId: true, queueId: false };
    const e = evaluateRules(
      [rule("r8", "All", {}, { queueId: "bugs", teamId: "vip", priority: "urgent" })],
      facts(),
      { ...start, teamId: "billing", priority: "low" },
      given,
      dir,
    );
    expect(e.placement).toMatchObject({ queueId: "bugs", teamId: "billing", priority: "low" });
    expect(e.explanation).toContain(
      "team 'VIP desk' not applied: the team was set by whoever created the case",
    );
    expect(e.explanation).toContain("priority urgent not applied");
  });

  it("a queue brings its team; a queue without a team leaves the team alone", () => {
    expect(
      evaluateRules([rule("a", "A", {}, { queueId: "bugs" })], facts(), start, NOTHING_GIVEN, dir).placement
        .teamId,
    ).toBe("tech");
    expect(
      evaluateRules(
        [rule("a", "A", {}, { queueId: "loose" })],
        facts(),
        { ...start, teamId: "vip" },
        NOTHING_GIVEN,
        dir,
      ).placement.teamId,
    ).toBe("vip");
  });

  it("owners: a named user, the account owner, and what gets in the way", () => {
    const named = evaluateRules([rule("a", "A", {}, { ownerId: "bob" })], facts(), start, NOTHING_GIVEN, dir);
    expect(named.placement.ownerId).toBe("bob");
    expect(named.explanation).toBe("matched rule 1 'A': no conditions → owner Bob Roy");
    const accountOwner = evaluateRules(
      [rule("a", "A", {}, { assignToAccountOwner: true })],
      facts(),
      start,
      NOTHING_GIVEN,
      dir,
    );
    expect(accountOwner.placement.ownerId).toBe("ann");
    expect(accountOwner.explanation).toContain("owner Ann Lee (the account owner)");
    const noOwner = evaluateRules(
      [rule("a", "A", {}, { assignToAccountOwner: true })],
      facts({ accountOwnerId: null }),
      start,
      NOTHING_GIVEN,
      dir,
    );
    expect(noOwner.placement.ownerId).toBeNull();
    expect(noOwner.explanation).toContain("no account owner to assign to");
    const deactivated = evaluateRules(
      [rule("a", "A", {}, { assignToAccountOwner: true })],
      facts({ accountOwnerId: "gone" }),
      start,
      NOTHING_GIVEN,
      dir,
    );
    expect(deactivated.placement.ownerId).toBeNull();
    expect(deactivated.explanation).toContain("account owner Gone Person not applied: deactivated");
    const given = evaluateRules(
      [rule("a", "A", {}, { ownerId: "bob" })],
      facts(),
      { ...start, ownerId: "ann" },
      { ...NOTHING_GIVEN, ownerId: true },
      dir,
    );
    expect(given.placement.ownerId).toBe("ann");
  });

  it("things a rule points at that no longer exist are skipped, with a word", () => {
    const e = evaluateRules(
      [rule("a", "A", {}, { queueId: "deleted", teamId: "tech" })],
      facts(),
      start,
      NOTHING_GIVEN,
      dir,
    );
    expect(e.placement).toMatchObject({ queueId: null, teamId: "tech" });
    expect(e.explanation).toBe("matched rule 1 'A': no conditions → its queue no longer exists, team 'Tech'");
  });

  it("adds tags once, normalised", () => {
    const e = evaluateRules(
      [rule("a", "A", {}, { tags: ["VAT", "Billing"] })],
      facts(),
      start,
      NOTHING_GIVEN,
      dir,
    );
    expect(e.placement.tags).toEqual(["vat", "billing"]);
    expect(e.explanation).toBe("matched rule 1 'A': no conditions → tag billing");
  });
});
