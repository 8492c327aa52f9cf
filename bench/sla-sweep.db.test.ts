import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProgress } from "../src/seed/progress.ts";
import { createTestContainer, type TestContainer } from "../test/support/test-db.ts";
import { BREACH_TAG, checkOutcome, outcome, setupSweep, sweepSet } from "./sla-sweep.ts";

let c: TestContainer;
beforeAll(async () => {
  c = await createTestContainer();
});
afterAll(async () => c?.testDb.drop());

const silent = createProgress("sla-sweep", "silent");
const N = 200;

describe("sla-sweep bench", () => {
  it("breaches every clock exactly once, with one sweeper and (on Postgres) with two at once", async () => {
    // PGlite is one connection: a second sweeper would only queue behind the first.
    const sweepers = c.db.kind === "postgres" ? [1, 2] : [1];
    const S = sweepers.length;
    // Two rounds per measurement: the second sweeps the breaches before the no-ops.
    const fixture = await setupSweep(c, { cases: N, sets: S, rounds: 2 }, silent);
    expect(fixture.sets[0]!.slices.map((s) => [s.cases, s.slaFirst])).toEqual([
      [N / 2, false],
      [N / 2, true],
    ]);
    for (const [i, n] of sweepers.entries()) {
      const set = fixture.sets[i]!;
      const { baseline, sla } = await sweepSet(c, set, n, silent);
      // Only this set's timers are claimed: N no-ops and N breaches (not the mails they queue).
      expect(baseline.timers).toBe(N);
      expect(sla.timers).toBe(N);
      const o = await outcome(c.db.kysely, set);
      await checkOutcome(c.db.kysely, set, o);
      // Owned cases tell the owner and the team lead, the others only the lead; each by mail too.
      expect(o).toMatchObject({ notifications: N * 1.5, mails: N * 1.5, timersNotDone: 0 });
    }

    // Checked here independently of the bench's own counting.
    const { rows } = await sql<{
      kpi: string;
      status: string;
      clocks: number;
      events: number;
      tagged: number;
    }>`
      select k.kpi, k.status, count(*)::int as clocks,
             sum((select count(*) from events e where e.type = 'sla.breached'
                   and e.data ->> 'clockId' = k.id::text))::int as events,
             count(*) filter (where ${BREACH_TAG} = any(c.tags))::int as tagged
      from sla_clocks k join cases c on c.id = k.case_id
      group by 1, 2 order by 1, 2`.execute(c.db.kysely);
    expect(rows).toEqual([
      { kpi: "firstResponse", status: "breached", clocks: S * N, events: S * N, tagged: S * N },
      { kpi: "resolution", status: "running", clocks: S * N, events: 0, tagged: S * N },
    ]);
    const once = await sql<{ n: number }>`
      select count(*)::int as n from (
        select data ->> 'clockId' from events where type = 'sla.breached' group by 1 having count(*) <> 1) x`.execute(
      c.db.kysely,
    );
    expect(once.rows[0]!.n).toBe(0);
    const timers = await sql<{ kind: string; status: string; n: number }>`
      select kind, status, count(*)::int as n from timers group by 1, 2 order by 1, 2`.execute(c.db.kysely);
    // The mails the breaches queued are left for the worker; resolution timers are not due yet.
    expect(timers.rows).toEqual([
      { kind: "bench.noop", status: "done", n: S * N },
      { kind: "mail.send", status: "pending", n: S * N * 1.5 },
      { kind: "sla.breach", status: "done", n: S * N },
      { kind: "sla.breach", status: "pending", n: S * N },
    ]);

    // The bench's own check fails loudly when a breach is missing.
    const set = fixture.sets[0]!;
    await sql`update sla_clocks set status = 'running', breached_at = null
      where id = (select id from sla_clocks where kpi = 'firstResponse' and due_at = ${set.slices[0]!.dueAt} limit 1)`.execute(
      c.db.kysely,
    );
    await expect(checkOutcome(c.db.kysely, set, await outcome(c.db.kysely, set))).rejects.toThrow(
      /breached clocks: 199 \(expected 200\)/,
    );
  }, 300_000);
});
