import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let agent: Session;
beforeAll(async () => {
  t = await createTestApp();
  agent = await t.signInAs("agent");
});
afterAll(async () => t?.close());

describe("GET /api/v1/accounts/{id}/timeline", () => {
  it("lists every event of the account newest first, paged, and only that account's", async () => {
    const account = (
      await agent.request({ method: "POST", url: "/api/v1/accounts", payload: { name: "Timeline Co" } })
    ).json();
    const other = (
      await agent.request({ method: "POST", url: "/api/v1/accounts", payload: { name: "Elsewhere Ltd" } })
    ).json();
    const contact = (
      await agent.request({
        method: "POST",
        url: "/api/v1/contacts",
        payload: { accountId: account.id, name: "Tina Line", email: "tina@timeline.example" },
      })
    ).json();
    const kase = (
      await agent.request({
        method: "POST",
        url: "/api/v1/cases",
        payload: { subject: "Export fails", contactId: contact.id },
      })
    ).json();
    await agent.request({
      method: "POST",
      url: `/api/v1/cases/${kase.id}/messages`,
      payload: { kind: "reply", body: "Looking into it" },
    });
    await agent.request({
      method: "POST",
      url: "/api/v1/cases",
      payload: { subject: "Other", accountId: other.id },
    });

    const res = await agent.request({
      method: "GET",
      url: `/api/v1/accounts/${account.id}/timeline?limit=2`,
    });
    expect(res.statusCode).toBe(200);
    const first = res.json();
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const all = [...first.items];
    let cursor: string | null = first.nextCursor;
    while (cursor) {
      const page = (
        await agent.request({
          method: "GET",
          url: `/api/v1/accounts/${account.id}/timeline?limit=2&cursor=${cursor}`,
        })
      ).json();
      all.push(...page.items);
      cursor = page.nextCursor;
    }
    const types = all.map((e: { type: string }) => e.type);
    expect(types).toContain("account.created");
    expect(types).toContain("contact.created");
    expect(types).toContain("case.created");
    expect(types).toContain("message.added");
    const seqs = all.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(all.every((e: { entityId: string }) => e.entityId !== other.id)).toBe(true);

    const onlyCases = (
      await agent.request({ method: "GET", url: `/api/v1/accounts/${account.id}/timeline?type=case.created` })
    ).json();
    expect(onlyCases.items.map((e: { entityId: string }) => e.entityId)).toEqual([kase.id]);
  });

  it("answers 404 for an unknown account and 400 for a forged cursor", async () => {
    const unknown = await agent.request({
      method: "GET",
      url: "/api/v1/accounts/0190a3c4-0000-7000-8000-000000000000/timeline",
    });
    expect(unknown.statusCode).toBe(404);
    const account = (
      await agent.request({ method: "POST", url: "/api/v1/accounts", payload: { name: "Cursor Co" } })
    ).json();
    const forged = Buffer.from(JSON.stringify(["x"])).toString("base64url");
    const bad = await agent.request({
      method: "GET",
      url: `/api/v1/accounts/${account.id}/timeline?cursor=${forged}`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe("/cursor");
  });
});
