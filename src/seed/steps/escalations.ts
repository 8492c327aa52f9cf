import { escalationsRepository } from "../../modules/escalations/escalations.repository.ts";
import { newId } from "../../platform/ids.ts";
import { need, type SeedStep } from "../seed-context.ts";

const REASONS = [
  { by: "contact", reason: "Third time I write about this and nobody has fixed it. We invoice on Friday." },
  {
    by: "staff",
    reason: "Key account, the CFO called the account manager: needs a lead's decision on a credit.",
  },
  { by: "contact", reason: "The workaround you gave us stopped working and our whole team is blocked." },
] as const;

/**
 * A few open escalations to a manager on recent open cases (by the customer and by staff), so
 * the case panel's banner and the portal's "a manager is looking at this" show on `npm start`.
 */
export const escalationsStep: SeedStep = {
  name: "escalations",
  async run({ trx, rng, refDate, data }) {
    const cases = need(data, "cases")
      .filter((k) => k.resolvedAt === null && k.contactId !== null && k.accountId !== null)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .slice(0, 20);
    const chosen = new Set<number>();
    while (chosen.size < Math.min(REASONS.length, cases.length)) chosen.add(rng.int(0, cases.length - 1));
    let i = 0;
    for (const index of chosen) {
      const k = cases[index]!;
      const { by, reason } = REASONS[i++]!;
      const at = new Date(
        Math.max(k.createdAt.getTime() + 3600_000, refDate.getTime() - rng.int(1, 20) * 3600_000),
      );
      await escalationsRepository.insert(trx, {
        id: newId(),
        case_id: k.id,
        account_id: k.accountId,
        contact_id: k.contactId,
        reason,
        raised_by_contact_id: by === "contact" ? k.contactId : null,
        raised_by_user_id: by === "staff" ? k.ownerId : null,
        created_at: at,
        closed_at: null,
      });
    }
  },
};
