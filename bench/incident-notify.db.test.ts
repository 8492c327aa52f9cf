import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOTIFY_BATCH } from "../src/modules/incidents/incidents.service.ts";
import { createProgress } from "../src/seed/progress.ts";
import { createTestContainer, type TestContainer } from "../test/support/test-db.ts";
import { checkIncident, incidentOutcome, measureRound, setupNotify } from "./incident-notify.ts";

let c: TestContainer;
beforeAll(async () => {
  c = await createTestContainer();
});
afterAll(async () => c?.testDb.drop());

const silent = createProgress("incident-notify", "silent");
// 45 accounts × 5 contacts = 225: more than one notify run (200 contacts a run) per side.
const ACCOUNTS = 45;
const K = 5;
const N = ACCOUNTS * K;
const LINKED = 12;

describe("incident-notify bench", () => {
  it("tells every contact of the segment exactly once, round after round, and the baseline mails as many", async () => {
    const fixture = await setupNotify(
      c,
      { accounts: ACCOUNTS, contactsPerAccount: K, linkedCases: LINKED, rounds: 2 },
      silent,
    );
    expect(fixture.rounds.map((r) => [r.contacts, r.linkedCases, r.incidentFirst])).toEqual([
      [N, LINKED, false],
      [N, LINKED, true],
    ]);
    const updateIds: string[] = [];
    for (const round of fixture.rounds) {
      const r = await measureRound(c, fixture, round, silent);
      // 225 contacts: one full run of 200, then the rest (and the report of the accounts).
      expect(r.incident).toMatchObject({ contacts: N, runs: Math.ceil(N / NOTIFY_BATCH) });
      expect(r.baseline).toMatchObject({ contacts: N, runs: Math.ceil(N / NOTIFY_BATCH) });
      expect(r.outcome).toMatchObject({
        contacts: N,
        notices: N,
        caseNotices: LINKED,
        mailNotices: N - LINKED,
        replies: LINKED,
        mails: N,
        addressesMailedTwice: 0,
        accountEvents: ACCOUNTS,
        notifyRuns: Math.ceil(N / NOTIFY_BATCH),
      });
      expect(r.baselineOutcome).toMatchObject({
        targets: N,
        mails: N,
        addressesMailedTwice: 0,
        runsNotDone: 0,
      });
      const { rows } = await sql<{ id: string }>`
        select id from incident_updates where incident_id = ${round.incidentId} and notify order by created_at`.execute(
        c.db.kysely,
      );
      updateIds.push(rows[0]!.id);
    }

    // Checked here independently of the bench's own counting.
    const notices = await sql<{ update_id: string; channel: string; n: number; contacts: number }>`
      select update_id, channel, count(*)::int as n, count(distinct contact_id)::int as contacts
      from incident_notices group by 1, 2 order by 1, 2`.execute(c.db.kysely);
    expect(notices.rows).toEqual(
      [...updateIds].sort().flatMap((u) => [
        { update_id: u, channel: "case", n: LINKED, contacts: LINKED },
        { update_id: u, channel: "email", n: N - LINKED, contacts: N - LINKED },
      ]),
    );
    const mails = await sql<{ purpose: string; n: number; addresses: number }>`
      select purpose, count(*)::int as n, count(distinct lower(to_address))::int as addresses
      from outbound_mail group by 1 order by 1`.execute(c.db.kysely);
    expect(mails.rows).toEqual([
      { purpose: "bench.mail", n: 2 * N, addresses: 2 * N },
      { purpose: "case.reply", n: 2 * LINKED, addresses: 2 * LINKED },
      { purpose: "incident.notice", n: 2 * (N - LINKED), addresses: 2 * (N - LINKED) },
    ]);
    const timers = await sql<{ kind: string; status: string; n: number }>`
      select kind, status, count(*)::int as n from timers group by 1, 2 order by 1, 2`.execute(c.db.kysely);
    // The mails are left queued for the worker: the sweeper fired only the measured chains.
    expect(timers.rows).toEqual([
      { kind: "bench.mail", status: "done", n: 2 * Math.ceil(N / NOTIFY_BATCH) },
      { kind: "incident.notify", status: "done", n: 2 * Math.ceil(N / NOTIFY_BATCH) },
      { kind: "mail.send", status: "pending", n: 2 * (2 * N) },
    ]);

    // The bench's own check fails loudly when a contact was not told, or told twice.
    const round = fixture.rounds[0]!;
    const updateId = updateIds[0]!;
    await sql`delete from incident_notices where id = (
      select id from incident_notices where update_id = ${updateId} and channel = 'email' limit 1)`.execute(
      c.db.kysely,
    );
    const missing = await incidentOutcome(c.db.kysely, round, updateId);
    expect(() => checkIncident(round, missing)).toThrow(/incident_notices rows: 224 \(expected 225\)/);
    await sql`insert into outbound_mail (id, to_address, from_address, subject, text_body, message_id, purpose, transport, created_at)
      select gen_random_uuid(), to_address, from_address, subject, text_body, '<dup-' || id || '>', purpose, transport, created_at
      from outbound_mail where purpose = 'incident.notice' and headers ->> 'X-Keepdesk-Incident' = ${round.incidentNumber}
      limit 1`.execute(c.db.kysely);
    const twice = await incidentOutcome(c.db.kysely, round, updateId);
    expect(() => checkIncident(round, twice)).toThrow(/addresses mailed more than once: 1 \(expected 0\)/);
  }, 300_000);
});
