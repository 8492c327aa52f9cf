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
});
