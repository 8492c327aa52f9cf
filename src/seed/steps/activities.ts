import type { Insertable } from "kysely";
import type { ActivitiesTable } from "../../modules/activities/activities.tables.ts";
import { DAY_MS } from "../random.ts";
import { type DemoCase, type DemoUser, need, type SeedStep } from "../seed-context.ts";

declare module "../seed-context.ts" {
  interface SeedData {
    /** Ids of the seeded activities (promises, tasks, calls, an appointment). */
    activities?: string[];
  }
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** The demo sign-in agent and a few colleagues get a working day of follow-ups. */
const AGENTS = 5;

type Row = Insertable<ActivitiesTable>;

/**
 * The activities step: for the demo agent and a few colleagues, the promises they made (kept by
 * a reply or a call, one or two broken), promises and tasks due today and overdue, a logged call,
 * and an appointment for the demo agent. Written as rows like the cases (no events for the
 * past); what is still open gets its reminder and due timers, so the worker keeps and breaks
 * them from here on.
 */
export const activitiesStep: SeedStep = {
  name: "activities",
  async run(ctx) {
    const { c, trx, rng } = ctx;
    const users = need(ctx.data, "users");
    const cases = need(ctx.data, "cases");
    const loginAgent = ctx.data.logins?.find((l) => l.role === "agent")?.email;
    const agents = users
      .filter((u) => u.role === "agent")
      .sort((a, b) =>
        a.email === loginAgent ? -1 : b.email === loginAgent ? 1 : a.email.localeCompare(b.email),
      )
      .slice(0, AGENTS);
    const now = c.clock.now();
    const t = now.getTime();
    const task = ctx.progress(agents.length);
    const rows: Row[] = [];
    const open: string[] = [];

    const row = (
      agent: DemoUser,
      k: DemoCase | undefined,
      fields: Partial<Row> & Pick<Row, "type" | "subject" | "status">,
      createdAt: number,
    ): Row => {
      const at = new Date(createdAt);
      return {
        id: rng.id(at),
        notes: null,
        owner_id: agent.id,
        created_by_id: agent.id,
        case_id: k?.id ?? null,
        account_id: k?.accountId ?? null,
        contact_id: k?.contactId ?? null,
        due_at: null,
        starts_at: null,
        ends_at: null,
        direction: null,
        duration_seconds: null,
        outcome: null,
        location: null,
        meeting_url: null,
        attendees: "[]",
        ical_sequence: 0,
        reminder_minutes: fields.status === "open" ? 15 : null,
        reminded_at: null,
        completed_at: null,
        kept_at: null,
        kept_how: null,
        kept_by_ref: null,
        kept_by_user_id: null,
        broken_at: null,
        cancelled_at: null,
        created_at: at,
        updated_at: at,
        ...fields,
      };
    };

    for (const [i, agent] of agents.entries()) {
      const mine = cases.filter((k) => k.ownerId === agent.id && k.contactId);
      const working = mine.filter((k) => !k.resolvedAt && k.createdAt.getTime() < t);
      // The latest resolved ones, so the promise report's usual ranges show how they ended.
      const done = mine
        .filter((k) => k.resolvedAt && k.resolvedAt.getTime() < t - 2 * DAY_MS)
        .sort((a, b) => b.resolvedAt!.getTime() - a.resolvedAt!.getTime());
      const pick = (list: DemoCase[], n: number) => list[n % Math.max(1, list.length)];
      const callBack = pick(working, 0);
      const later = pick(working, 1);

      if (callBack) {
        const due = t + (1 + i) * HOUR + rng.int(0, 5) * 5 * MINUTE;
        const r = row(
          agent,
          callBack,
          { type: "promise", subject: "Call back with the fix", status: "open", due_at: new Date(due) },
          t - 2 * HOUR,
        );
        rows.push(r);
        open.push(r.id);
        const logged = row(
          agent,
          callBack,
          {
            type: "call",
            subject: "First call about the problem",
            status: "done",
            direction: i % 2 === 0 ? "in" : "out",
            duration_seconds: 60 * rng.int(3, 14),
            outcome: "Reproduced it together; promised a call back",
            due_at: new Date(t - 2 * HOUR - 10 * MINUTE),
            completed_at: new Date(t - 2 * HOUR),
          },
          t - 2 * HOUR,
        );
        rows.push(logged);
      }
      if (later) {
        const r = row(
          agent,
          later,
          {
            type: "promise",
            subject: "Send the workaround",
            status: "open",
            due_at: new Date(t + DAY_MS + rng.int(0, 6) * HOUR),
          },
          t - 5 * HOUR,
        );
        rows.push(r);
        open.push(r.id);
      }
      for (const [n, k] of done.slice(0, 4).entries()) {
        const due = k.resolvedAt!.getTime() + 4 * HOUR;
        const broken = n === 3 || (n === 2 && i % 2 === 1);
        const how = n % 2 === 0 ? "reply" : "call";
        rows.push(
          row(
            agent,
            k,
            {
              type: "promise",
              subject: broken ? "Ring back after the release" : "Confirm the fix works",
              status: broken ? "broken" : "kept",
              due_at: new Date(due),
              kept_at: broken ? null : new Date(due - rng.int(1, 3) * HOUR),
              kept_how: broken ? null : how,
              kept_by_user_id: broken ? null : agent.id,
              broken_at: broken ? new Date(due) : null,
            },
            k.resolvedAt!.getTime() - HOUR,
          ),
        );
      }
      const overdue = row(
        agent,
        undefined,
        {
          type: "task",
          subject: "Update the known-issues article",
          status: "open",
          due_at: new Date(t - DAY_MS + rng.int(0, 4) * HOUR),
        },
        t - 3 * DAY_MS,
      );
      const today = row(
        agent,
        working[2],
        {
          type: "task",
          subject: "Check the invoice with Billing",
          status: "open",
          due_at: new Date(t + 3 * HOUR),
        },
        t - DAY_MS,
      );
      rows.push(overdue, today);
      open.push(overdue.id, today.id);
      if (i === 0 && working[3]) {
        const starts = new Date(Math.ceil((t + 4 * HOUR) / (30 * MINUTE)) * 30 * MINUTE);
        const appointment = row(
          agent,
          working[3],
          {
            type: "appointment",
            subject: "Walk-through of the new dashboards",
            status: "open",
            starts_at: starts,
            ends_at: new Date(starts.getTime() + 30 * MINUTE),
            due_at: starts,
            meeting_url: "https://meet.example.com/keepdesk-demo",
          },
          t - DAY_MS,
        );
        rows.push(appointment);
        open.push(appointment.id);
      }
      task.tick();
    }
    if (rows.length > 0) await trx.insertInto("activities").values(rows).execute();
    for (const id of open) await c.activities.armTimers(trx, id);
    ctx.data.activities = rows.map((r) => r.id);
    task.done();
  },
};
