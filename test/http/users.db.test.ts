import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let admin: Session;
let manager: Session;
let agent: Session;
let sales: Session;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signInAs("admin");
  manager = await t.signInAs("manager");
  agent = await t.signInAs("agent");
  sales = await t.signInAs("sales");
});
afterAll(async () => t?.close());

describe("users", () => {
  it("admin creates, reads, lists, edits and deactivates a user", async () => {
    const team = (
      await admin.request({ method: "POST", url: "/api/v1/teams", payload: { name: "Frontline" } })
    ).json();
    const created = await admin.request({
      method: "POST",
      url: "/api/v1/users",
      payload: {
        email: "dana@example.test",
        name: "Dana Agent",
        role: "agent",
        password: "a-long-password",
        teamIds: [team.id],
        skills: ["billing", "de"],
        capacity: 12,
      },
    });
    expect(created.statusCode).toBe(201);
    const user = created.json();
    expect(user).toMatchObject({
      email: "dana@example.test",
      role: "agent",
      status: "offline",
      teamIds: [team.id],
      capacity: 12,
    });
    expect((await agent.request({ method: "GET", url: `/api/v1/users/${user.id}` })).json().name).toBe(
      "Dana Agent",
    );

    const list = await agent.request({ method: "GET", url: `/api/v1/users?teamId=${team.id}` });
    expect(list.json().items.map((u: { id: string }) => u.id)).toEqual([user.id]);

    const edited = await admin.request({
      method: "PATCH",
      url: `/api/v1/users/${user.id}`,
      payload: { role: "manager" },
    });
    expect(edited.json().role).toBe("manager");

    const dana = await t.signIn("dana@example.test", "a-long-password");
    expect((await admin.request({ method: "DELETE", url: `/api/v1/users/${user.id}` })).statusCode).toBe(204);
    // Deactivation signs the user out everywhere and blocks new sign-ins.
    expect((await dana.request({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(401);
    const again = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "dana@example.test", password: "a-long-password" },
    });
    expect(again.statusCode).toBe(401);
  });

  it("pages through users with a keyset cursor", async () => {
    for (let i = 0; i < 5; i++) {
      await admin.request({
        method: "POST",
        url: "/api/v1/users",
        payload: { email: `page${i}@example.test`, name: `Pager ${i}`, role: "sales" },
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await admin.request({
        method: "GET",
        url: `/api/v1/users?role=sales&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      });
      const body = res.json() as { items: { id: string }[]; nextCursor: string | null };
      seen.push(...body.items.map((u) => u.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(6);
    expect(new Set(seen).size).toBe(6);
  });

  it("refuses a duplicate email with 409", async () => {
    const res = await admin.request({
      method: "POST",
      url: "/api/v1/users",
      payload: { email: "DANA@example.test", name: "Other", role: "agent" },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors).toEqual([{ path: "/email", message: "is already taken" }]);
  });

  it("lets users edit themselves but not their role, and needs the current password to change it", async () => {
    const self = await agent.request({
      method: "PATCH",
      url: `/api/v1/users/${agent.userId}`,
      payload: { name: "Renamed" },
    });
    expect(self.json().name).toBe("Renamed");
    const role = await agent.request({
      method: "PATCH",
      url: `/api/v1/users/${agent.userId}`,
      payload: { role: "admin" },
    });
    expect(role.statusCode).toBe(403);
    const noCurrent = await agent.request({
      method: "PATCH",
      url: "/api/v1/me",
      payload: { password: "brand-new-password" },
    });
    expect(noCurrent.statusCode).toBe(400);
    expect(noCurrent.json().errors[0].path).toBe("/currentPassword");
  });

  it("managers set capacity and skills but not roles", async () => {
    const ok = await manager.request({
      method: "PATCH",
      url: `/api/v1/users/${agent.userId}`,
      payload: { capacity: 3 },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().capacity).toBe(3);
    const no = await manager.request({
      method: "PATCH",
      url: `/api/v1/users/${agent.userId}`,
      payload: { role: "admin" },
    });
    expect(no.statusCode).toBe(403);
  });

  it("answers 404 for an unknown id and 400 for a malformed one", async () => {
    expect(
      (await admin.request({ method: "GET", url: "/api/v1/users/0190a3c4-0000-7000-8000-000000000000" }))
        .statusCode,
    ).toBe(404);
    const bad = await admin.request({ method: "GET", url: "/api/v1/users/not-a-uuid" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe("/id");
  });
});

describe("teams", () => {
  it("admin and manager create teams with a lead and members; agents and sales may not", async () => {
    const res = await manager.request({
      method: "POST",
      url: "/api/v1/teams",
      payload: { name: "Billing", leadId: manager.userId, memberIds: [agent.userId] },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: "Billing", leadId: manager.userId, memberIds: [agent.userId] });
    expect(
      (await agent.request({ method: "POST", url: "/api/v1/teams", payload: { name: "X" } })).statusCode,
    ).toBe(403);
    expect(
      (await sales.request({ method: "POST", url: "/api/v1/teams", payload: { name: "Y" } })).statusCode,
    ).toBe(403);
    const dup = await admin.request({ method: "POST", url: "/api/v1/teams", payload: { name: "billing" } });
    expect(dup.statusCode).toBe(409);
    const unknownMember = await admin.request({
      method: "POST",
      url: "/api/v1/teams",
      payload: { name: "Ghosts", memberIds: ["0190a3c4-0000-7000-8000-000000000000"] },
    });
    expect(unknownMember.statusCode).toBe(400);
    expect(unknownMember.json().errors[0].path).toBe("/memberIds/0");
  });

  it("edits and deletes a team (delete is admin only)", async () => {
    const team = (
      await admin.request({ method: "POST", url: "/api/v1/teams", payload: { name: "Temp" } })
    ).json();
    const renamed = await manager.request({
      method: "PATCH",
      url: `/api/v1/teams/${team.id}`,
      payload: { name: "Temporary" },
    });
    expect(renamed.json().name).toBe("Temporary");
    expect((await manager.request({ method: "DELETE", url: `/api/v1/teams/${team.id}` })).statusCode).toBe(
      403,
    );
    expect((await admin.request({ method: "DELETE", url: `/api/v1/teams/${team.id}` })).statusCode).toBe(204);
    expect((await admin.request({ method: "GET", url: `/api/v1/teams/${team.id}` })).statusCode).toBe(404);
  });
});

describe("permission matrix (users, teams, audit)", () => {
  const matrix: [string, string, string, Record<string, number>][] = [
    ["POST", "/api/v1/users", "create user", { admin: 201, manager: 403, agent: 403, sales: 403 }],
    ["GET", "/api/v1/users", "list users", { admin: 200, manager: 200, agent: 200, sales: 200 }],
    ["GET", "/api/v1/teams", "list teams", { admin: 200, manager: 200, agent: 200, sales: 200 }],
    ["GET", "/api/v1/audit", "read audit", { admin: 200, manager: 403, agent: 403, sales: 403 }],
  ];
  for (const [method, url, what, expected] of matrix) {
    it(`${what}: ${JSON.stringify(expected)}`, async () => {
      const sessions: Record<string, Session> = { admin, manager, agent, sales };
      for (const [role, status] of Object.entries(expected)) {
        const payload =
          method === "POST"
            ? { email: `m-${role}-${Math.random()}@example.test`.replace("0.", ""), name: "M", role: "agent" }
            : undefined;
        const res = await sessions[role]!.request({ method: method as "GET" | "POST", url, payload });
        expect({ role, status: res.statusCode }).toEqual({ role, status });
      }
    });
  }
});
