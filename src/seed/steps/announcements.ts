import { announcementsRepository as repo } from "../../modules/announcements/announcements.repository.ts";
import { DAY_MS } from "../random.ts";
import { need, type SeedStep } from "../seed-context.ts";

declare module "../seed-context.ts" {
  interface SeedData {
    /** Ids of the seeded announcements: one sent last month, one draft. */
    announcements?: string[];
  }
}

const SENT_BODY = `We have news for {{account}}: from today our support team answers the phone **around the clock**, every day of the year.

- The same team that knows your account
- A call back within 15 minutes when the line is busy
- No extra cost on your current plan

Your account manager will be glad to walk you through it. Read more at [our service page](https://example.com/support/24-7).`;

const DRAFT_BODY = `A preview for our key accounts: the customer portal will soon let you follow every case of your organisation in one place, with single sign-on.

We would like to hear what you think before it goes live: reply to this mail with your wishes.`;

/**
 * Announcements: a few contacts opted out by the emailed link, one announcement to key accounts
 * sent a month ago (its recipient list fixed then, the opted-out skipped), and one draft.
 */
export const announcementsStep: SeedStep = {
  name: "announcements",
  async run(ctx) {
    const { trx, rng, refDate } = ctx;
    const users = need(ctx.data, "users");
    const contacts = need(ctx.data, "contacts");
    const manager = users.find((u) => u.role === "manager") ?? users[0]!;
    const sales = users.find((u) => u.role === "sales") ?? manager;
    const sentAt = new Date(refDate.getTime() - 30 * DAY_MS + 10 * 3_600_000);
    const progress = ctx.progress(2);

    // A handful of contacts who said no, some weeks before: some at key accounts (the sent
    // announcement skips them), some elsewhere.
    const keyAccounts = new Set((ctx.data.accounts ?? []).filter((a) => a.tier === "key").map((a) => a.id));
    const atKey = rng.shuffle(contacts.filter((c) => keyAccounts.has(c.accountId))).slice(0, 5);
    const others = rng.shuffle(contacts.filter((c) => !keyAccounts.has(c.accountId))).slice(0, 4);
    const optOuts = [...atKey, ...others];
    for (const c of optOuts) {
      const at = new Date(sentAt.getTime() - rng.int(5, 60) * DAY_MS);
      await repo.setPreference(trx, c.id, { optOutAt: at, source: "link", byId: null, at });
      await repo.insertChange(trx, {
        id: rng.id(at),
        contact_id: c.id,
        announcements: false,
        source: "link",
        changed_by_id: null,
        announcement_id: null,
        changed_at: at,
      });
    }

    const sentId = rng.id(sentAt);
    const created = new Date(sentAt.getTime() - 2 * DAY_MS);
    const segment = { tiers: ["key" as const] };
    await repo.insert(trx, {
      id: sentId,
      subject: "Phone support is now open 24/7",
      body: SENT_BODY,
      segment: JSON.stringify(segment),
      languages: null,
      status: "sent",
      scheduled_for: null,
      sending_started_at: sentAt,
      sent_at: sentAt,
      cancelled_at: null,
      created_by_id: manager.id,
      sent_by_id: manager.id,
      created_at: created,
      updated_at: sentAt,
    });
    await repo.fixRecipients(trx, sentId, segment, null, {
      today: sentAt.toISOString().slice(0, 10),
      now: sentAt,
    });
    await repo.markAllSent(trx, sentId, sentAt);
    progress.tick();

    const draftAt = new Date(refDate.getTime() - 2 * DAY_MS + 14 * 3_600_000);
    const draftId = rng.id(draftAt);
    await repo.insert(trx, {
      id: draftId,
      subject: "Coming soon: one portal for your whole organisation",
      body: DRAFT_BODY,
      segment: JSON.stringify(segment),
      languages: ["en"],
      status: "draft",
      scheduled_for: null,
      sending_started_at: null,
      sent_at: null,
      cancelled_at: null,
      created_by_id: sales.id,
      sent_by_id: null,
      created_at: draftAt,
      updated_at: draftAt,
    });
    progress.tick();
    progress.done();
    ctx.data.announcements = [sentId, draftId];
  },
};
