import type { Insertable } from "kysely";
import { DateTime } from "luxon";
import { nextOccurrence, occurrences } from "../../modules/councils/recurrence.ts";
import "../../modules/councils/councils.tables.ts";
import type { SurveyType } from "../../modules/surveys/survey-stats.ts";
import { surveysRepository } from "../../modules/surveys/surveys.repository.ts";
import type { SurveysTable } from "../../modules/surveys/surveys.tables.ts";
import "../../modules/feedback/feedback.tables.ts";
import { DAY_MS, type Rng } from "../random.ts";
import { need, type SeedStep } from "../seed-context.ts";

declare module "../seed-context.ts" {
  interface SeedData {
    /** Ids of the seeded surveys. */
    surveys?: string[];
  }
}

type Row = Insertable<SurveysTable>;

/** A CSAT score: mostly satisfied, a little better as the months go by (`progress` 0 → 1). */
function csatScore(rng: Rng, progress: number): number {
  const r = rng.next() - progress * 0.08;
  if (r < 0.05) return 1;
  if (r < 0.1) return 2;
  if (r < 0.22) return 3;
  if (r < 0.52) return 4;
  return 5;
}
function npsScore(rng: Rng, progress: number): number {
  const r = rng.next() - progress * 0.1;
  if (r < 0.15) return rng.int(0, 6);
  if (r < 0.4) return rng.int(7, 8);
  return rng.int(9, 10);
}
const PRAISE = [
  "Quick and friendly, thank you.",
  "Solved first time. Great.",
  "Very helpful, kept me informed.",
];
const GRIPES = [
  "Took three emails to get an answer.",
  "I had to explain the problem twice.",
  "Nobody told me it was fixed.",
];

const FEEDBACK: {
  kind: "complaint" | "idea" | "praise" | "question";
  source: "survey" | "case" | "portal" | "council" | "agent";
  title: string;
  status: "new" | "planned" | "in_progress" | "done" | "wont_do";
  votes: number;
}[] = [
  { kind: "idea", source: "council", title: "Export invoices as CSV", status: "planned", votes: 6 },
  {
    kind: "complaint",
    source: "survey",
    title: "Replies arrive after business hours only",
    status: "in_progress",
    votes: 3,
  },
  {
    kind: "idea",
    source: "portal",
    title: "Single sign-on for the customer portal",
    status: "new",
    votes: 5,
  },
  { kind: "praise", source: "case", title: "Onboarding call was excellent", status: "done", votes: 0 },
  { kind: "question", source: "agent", title: "Is there an API for usage reports?", status: "new", votes: 1 },
  {
    kind: "complaint",
    source: "case",
    title: "Password reset emails land in spam",
    status: "done",
    votes: 4,
  },
  { kind: "idea", source: "council", title: "Dark mode", status: "wont_do", votes: 2 },
  { kind: "idea", source: "survey", title: "Weekly summary of open cases", status: "new", votes: 3 },
];

/**
 * The surveys step: who resolved each resolved case (its owner, in the demo), CSAT for about
 * half the resolved cases of the last six months (sent a day after resolution, half of them
 * answered, slowly improving), NPS for about a third of the contacts, so Reports → Satisfaction
 * shows trends. Written as rows (no events, no emails, for the past); tokens are random and
 * unknown, so none of these links can be answered.
 */
export const surveysStep: SeedStep = {
  name: "surveys",
  async run(ctx) {
    const { trx, rng } = ctx;
    const cases = need(ctx.data, "cases");
    const contacts = need(ctx.data, "contacts");
    const now = ctx.c.clock.now().getTime();
    const since = now - 182 * DAY_MS;
    const resolved = cases.filter((k) => k.resolvedAt && k.contactId && k.accountId);
    const task = ctx.progress(resolved.length + contacts.length);
    const rows: Row[] = [];
    const token = () => Buffer.from(rng.bytes(24)).toString("hex");

    const survey = (
      type: SurveyType,
      fields: Pick<Row, "contact_id" | "account_id" | "case_id" | "team_id" | "resolved_by_id" | "trigger">,
      sentAt: number,
      score: number | null,
    ): Row => {
      const answeredAt = score === null ? null : Math.min(now - 60_000, sentAt + rng.int(1, 72) * 3_600_000);
      return {
        id: rng.id(new Date(sentAt)),
        type,
        status: score === null ? "sent" : "answered",
        held_back_rule: null,
        created_by_id: null,
        token_hash: token(),
        score,
        comment:
          score === null || !rng.chance(0.2)
            ? null
            : (() => {
                const pool = score >= (type === "nps" ? 9 : type === "ces" ? 5 : 4) ? PRAISE : GRIPES;
                return pool[rng.int(0, pool.length - 1)]!;
              })(),
        created_at: new Date(sentAt),
        sent_at: new Date(sentAt),
        expires_at: new Date(sentAt + 28 * DAY_MS),
        answered_at: answeredAt === null ? null : new Date(answeredAt),
        ...fields,
      };
    };

    // The demo keeps the default contact fatigue: one survey per contact per 14 days.
    const lastSent = new Map<string, number>();
    for (const k of [...resolved].sort((a, b) => a.resolvedAt!.getTime() - b.resolvedAt!.getTime())) {
      task.tick();
      const resolvedAt = k.resolvedAt!.getTime();
      await surveysRepository.upsertResolution(trx, {
        case_id: k.id,
        resolved_by_id: k.ownerId,
        owner_id: k.ownerId,
        team_id: k.teamId,
        resolved_at: k.resolvedAt!,
      });
      const sentAt = resolvedAt + DAY_MS;
      if (resolvedAt < since || sentAt >= now || !rng.chance(0.55)) continue;
      if (sentAt - (lastSent.get(k.contactId!) ?? Number.NEGATIVE_INFINITY) < 14 * DAY_MS) continue;
      lastSent.set(k.contactId!, sentAt);
      const progress = (sentAt - since) / (now - since);
      const type: SurveyType = rng.chance(0.12) ? "ces" : "csat";
      const score = rng.chance(0.5) ? (type === "csat" ? csatScore(rng, progress) : rng.int(3, 7)) : null;
      rows.push(
        survey(
          type,
          {
            contact_id: k.contactId!,
            account_id: k.accountId!,
            case_id: k.id,
            team_id: k.teamId,
            resolved_by_id: k.ownerId,
            trigger: "resolution",
          },
          sentAt,
          score,
        ),
      );
    }
    for (const contact of contacts) {
      task.tick();
      if (!rng.chance(0.33)) continue;
      const sentAt = since + rng.int(0, 170) * DAY_MS + rng.int(8, 17) * 3_600_000;
      const progress = (sentAt - since) / (now - since);
      rows.push(
        survey(
          "nps",
          {
            contact_id: contact.id,
            account_id: contact.accountId,
            case_id: null,
            team_id: null,
            resolved_by_id: null,
            trigger: "schedule",
          },
          sentAt,
          rng.chance(0.45) ? npsScore(rng, progress) : null,
        ),
      );
    }
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto("surveys")
        .values(rows.slice(i, i + 500))
        .execute();
    ctx.data.surveys = rows.map((r) => r.id);

    // A few feedback items on the board, voted for by accounts (the key ones most often).
    const accounts = ctx.data.accounts ?? [];
    if (accounts.length > 0) {
      const byRevenue = [...accounts].sort((a, b) => b.annualRevenue - a.annualRevenue);
      const feedbackIds: string[] = [];
      for (const [i, f] of FEEDBACK.entries()) {
        const at = new Date(now - (60 - i * 6) * DAY_MS);
        const id = rng.id(at);
        feedbackIds.push(id);
        const raiser = byRevenue[rng.int(0, Math.min(byRevenue.length, 12) - 1)]!;
        const contact = contacts.find((c) => c.accountId === raiser.id);
        await trx
          .insertInto("feedback_items")
          .values({
            id,
            kind: f.kind,
            source: f.source,
            title: f.title,
            body: null,
            status: f.status,
            account_id: raiser.id,
            contact_id: contact?.id ?? null,
            case_id: null,
            survey_id: null,
            created_by_id: null,
            loop_closed_at: null,
            created_at: at,
            updated_at: at,
          })
          .execute();
        const voters = new Set([raiser.id]);
        for (let v = 0; v < f.votes; v++)
          voters.add(byRevenue[rng.int(0, Math.min(byRevenue.length, 40) - 1)]!.id);
        await trx
          .insertInto("feedback_votes")
          .values(
            [...voters].map((accountId) => ({
              item_id: id,
              account_id: accountId,
              contact_id: contacts.find((c) => c.accountId === accountId)?.id ?? null,
              created_at: at,
            })),
          )
          .execute();
      }
      await seedCouncil(ctx, byRevenue, feedbackIds);
    }
    task.done();
  },
};

/**
 * The demo council: a contact from each of the six biggest accounts, meeting quarterly on the
 * first Thursday at 15:00 London time; the meetings of the last half year held, with agenda,
 * minutes and attendance; the next one scheduled.
 */
async function seedCouncil(
  ctx: Parameters<SeedStep["run"]>[0],
  byRevenue: { id: string; name: string }[],
  feedbackIds: string[],
): Promise<void> {
  const { trx, rng } = ctx;
  const contacts = need(ctx.data, "contacts");
  const now = ctx.c.clock.now();
  const startLocal = DateTime.fromJSDate(new Date(now.getTime() - 400 * DAY_MS), { zone: "Europe/London" })
    .set({ hour: 15, minute: 0 })
    .toFormat("yyyy-MM-dd'T'HH:mm");
  const rec = {
    rrule: "FREQ=MONTHLY;INTERVAL=3;BYDAY=TH;BYSETPOS=1",
    start: startLocal,
    timeZone: "Europe/London",
    durationMinutes: 90,
  };
  const councilId = rng.id(new Date(now.getTime() - 400 * DAY_MS));
  const members = byRevenue
    .slice(0, 6)
    .map((a) => contacts.find((c) => c.accountId === a.id))
    .filter((c): c is NonNullable<typeof c> => c !== undefined);
  await trx
    .insertInto("councils")
    .values({
      id: councilId,
      name: "Key Customer Council",
      description: "Our largest customers, quarterly: what we heard, what we are doing about it.",
      time_zone: rec.timeZone,
      rrule: rec.rrule,
      start_local: rec.start,
      duration_minutes: rec.durationMinutes,
      location: "Video call",
      owner_id: ctx.data.users?.find((u) => u.role === "sales")?.id ?? null,
      created_at: new Date(now.getTime() - 400 * DAY_MS),
      updated_at: new Date(now.getTime() - 400 * DAY_MS),
    })
    .execute();
  if (members.length > 0) {
    await trx
      .insertInto("council_members")
      .values(
        members.map((m) => ({
          council_id: councilId,
          contact_id: m.id,
          added_at: new Date(now.getTime() - 400 * DAY_MS),
        })),
      )
      .execute();
  }
  const past = occurrences(rec, new Date(now.getTime() - 200 * DAY_MS), now);
  const next = nextOccurrence(rec, now);
  for (const [i, o] of [...past, ...(next ? [next] : [])].entries()) {
    const held = o.startsAt < now;
    const meetingId = rng.id(o.startsAt);
    await trx
      .insertInto("council_meetings")
      .values({
        id: meetingId,
        council_id: councilId,
        starts_at: o.startsAt,
        ends_at: o.endsAt,
        status: held ? "held" : "scheduled",
        minutes: held ? "Reviewed the top requests by revenue; agreed priorities for next quarter." : null,
        ical_sequence: 0,
        invited_at: new Date(o.startsAt.getTime() - 30 * DAY_MS),
        created_at: new Date(o.startsAt.getTime() - 30 * DAY_MS),
        updated_at: new Date(o.startsAt.getTime() - 30 * DAY_MS),
      })
      .execute();
    const agenda = feedbackIds.slice(i * 2, i * 2 + 2);
    for (const [position, itemId] of agenda.entries()) {
      const title = FEEDBACK[feedbackIds.indexOf(itemId)]?.title ?? "Feedback";
      await trx
        .insertInto("council_agenda_items")
        .values({
          id: rng.id(o.startsAt),
          meeting_id: meetingId,
          title,
          feedback_item_id: itemId,
          position: position + 1,
          created_at: o.startsAt,
        })
        .execute();
    }
    if (held && members.length > 0) {
      await trx
        .insertInto("council_attendance")
        .values(
          members.map((m) => ({
            meeting_id: meetingId,
            contact_id: m.id,
            attended: rng.chance(0.8),
            recorded_at: o.endsAt,
          })),
        )
        .execute();
    }
  }
}
