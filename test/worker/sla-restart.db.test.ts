/**
 * SLA points live in the database, not in a process: a worker that starts after the one that
 * scheduled them (a restart, a deploy, another machine) fires each exactly once, catching up.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createContainer } from "../../src/container.ts";
import { as, insertAccount, insertContact, staffActor } from "../../src/modules/cases/cases.fixtures.ts";
import { ManualClock } from "../../src/platform/clock.ts";
import { loadConfig } from "../../src/platform/config.ts";
import { readEvents } from "../../src/platform/events/event-bus.ts";
import { createLogger } from "../../src/platform/logger.ts";
import { drainWork } from "../../src/platform/worker.ts";
import { createTestContainer, type TestContainer } from "../support/test-db.ts";

let first: TestContainer;

beforeAll(async () => {
  first = await createTestContainer();
});
afterAll(async () => first?.testDb.drop());

it("a restarted worker fires warnings and breaches scheduled by another process, once each", async () => {
  const manager = await staffActor(first.users, "manager");
  const agent = await staffActor(first.users, "agent");
  const cal = await first.slaConfig.createCalendar(as(manager), {
    name: "Weekdays",
    timeZone: "America/New_York",
    hours: { mon: [["09:00", "17:00"]], tue: [["09:00", "17:00"]], wed: [["09:00", "17:00"]] },
  });
  await first.slaConfig.createPolicy(as(manager), {
    name: "Everyone",
    calendarId: cal.id,
    order: 1,
    firstResponseMinutes: 60,
    resolutionMinutes: 480,
    warningMinutesBefore: 15,
  });
  const account = await insertAccount(first.db.kysely, "Acme");
  const contact = await insertContact(first.db.kysely, account, "Ada");
  // Mon 2 Mar 09:00Z is 04:00 in New York: the clock starts at 09:00 EST (14:00Z).
  const created = await first.cases.create(as(agent), { subject: "Printer on fire", contactId: contact });
  expect(created.sla.find((s) => s.kpi === "firstResponse")).toMatchObject({
    dueAt: "2026-03-02T15:00:00.000Z",
    warningAt: "2026-03-02T14:45:00.000Z",
  });
  // The first process goes away with its timers unfired. Another one starts two days later.
  const later = new ManualClock("2026-03-04T12:00:00Z");
  const second = createContainer({
    config: loadConfig({ KEEPDESK_DATA_DIR: "/nonexistent" }),
    db: first.db,
    clock: later,
    log: createLogger("silent"),
  });
  await drainWork(second);
  await drainWork(second);
  const events = (await readEvents(first.db.kysely, 0, 10_000)).filter((e) => e.entityId === created.id);
  const types = events
    .map((e) => `${e.type}:${String(e.data.kpi ?? "")}`)
    .filter((t) => t.startsWith("sla."));
  // First response: warned and breached. Resolution (480 = Mon 14:00Z–22:00Z): warned and breached.
  expect(types.sort()).toEqual([
    "sla.breached:firstResponse",
    "sla.breached:resolution",
    "sla.warning:firstResponse",
    "sla.warning:resolution",
  ]);
  const now = await second.cases.get(agent, created.id);
  expect(now.sla.find((s) => s.kpi === "resolution")).toMatchObject({
    status: "breached",
    breachedAt: "2026-03-02T22:00:00.000Z",
  });
});
