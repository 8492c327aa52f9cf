import { describe, expect, it } from "vitest";
import type { Actor } from "../platform/auth/actor.ts";
import { maySee } from "./live.ts";

const contact: Actor = { kind: "contact", id: "c1", email: "c@example.test", accountId: "acc-1" };
const agent: Actor = { kind: "user", id: "u1", email: "a@example.test", role: "agent", teamIds: [] };

describe("who sees which live event", () => {
  it.each([
    [agent, { accountId: "acc-1", customerVisible: false }, true],
    [agent, { accountId: null, customerVisible: false }, true],
    [contact, { accountId: "acc-1", customerVisible: true }, true],
    [contact, { accountId: "acc-1", customerVisible: false }, false],
    [contact, { accountId: "acc-2", customerVisible: true }, false],
    [contact, { accountId: null, customerVisible: true }, false],
  ])("%o sees %o: %s", (actor, event, expected) => {
    expect(maySee(actor, event)).toBe(expected);
  });

  it("gives an event meant for one person (audienceUserId) to that person only", () => {
    const other: Actor = { kind: "user", id: "u2", email: "b@example.test", role: "admin", teamIds: [] };
    const forU1 = { accountId: null, customerVisible: false, audienceUserId: "u1" };
    expect(maySee(agent, forU1)).toBe(true);
    expect(maySee(other, forU1)).toBe(false);
    expect(maySee({ kind: "system" }, forU1)).toBe(false);
    // Addressed to a contact, the customer-visibility rules still apply on top.
    expect(maySee(contact, { accountId: "acc-1", customerVisible: true, audienceUserId: "c1" })).toBe(true);
    expect(maySee(contact, { accountId: "acc-1", customerVisible: false, audienceUserId: "c1" })).toBe(false);
    expect(maySee(contact, { accountId: "acc-1", customerVisible: true, audienceUserId: "c2" })).toBe(false);
  });
});
