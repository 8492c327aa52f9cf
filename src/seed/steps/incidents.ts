import { incidentsRepository as repo } from "../../modules/incidents/incidents.repository.ts";
import type { IncidentStatus } from "../../modules/incidents/incidents.tables.ts";
import { newId } from "../../platform/ids.ts";
import { DAY_MS } from "../random.ts";
import type { SeedStep } from "../seed-context.ts";

const COMPONENTS = [
  { name: "Web app", description: "Signing in, cases, the portal" },
  { name: "Email delivery", description: "Mail to and from your support address" },
  { name: "API", description: "The REST API and webhooks" },
  { name: "Billing", description: "Invoices and payments" },
];

const TIMELINE: { after: number; status: IncidentStatus; message: string }[] = [
  {
    after: 0,
    status: "investigating",
    message: "We are investigating reports that replies to customers are arriving late.",
  },
  {
    after: 40,
    status: "identified",
    message:
      "Our mail relay was throttling outbound messages after a configuration change. We are rolling it back.",
  },
  {
    after: 95,
    status: "monitoring",
    message: "The change is rolled back and the queue of delayed mail is draining. We are watching it.",
  },
  {
    after: 150,
    status: "resolved",
    message: "All delayed mail has been delivered and delivery times are back to normal. Sorry for the wait.",
  },
];

/**
 * The status page's components and one resolved incident from last week with its timeline (and
 * the cases reported during it linked). Nothing is left open, so demo surveys are not held back.
 */
export const incidentsStep: SeedStep = {
  name: "incidents",
  async run({ trx, refDate, data }) {
    const ids = new Map<string, string>();
    for (const [position, c] of COMPONENTS.entries()) {
      const id = newId();
      ids.set(c.name, id);
      await repo.insertComponent(trx, {
        id,
        name: c.name,
        description: c.description,
        position: position + 1,
        archived_at: null,
        created_at: new Date(refDate.getTime() - 90 * DAY_MS),
        updated_at: new Date(refDate.getTime() - 90 * DAY_MS),
      });
    }
    const author = (data.users ?? []).find((u) => u.role === "manager") ?? data.users?.[0];
    const startedAt = new Date(refDate.getTime() - 6 * DAY_MS + 9 * 3600_000 + 20 * 60_000);
    const at = (minutes: number) => new Date(startedAt.getTime() + minutes * 60_000);
    const resolvedAt = at(TIMELINE[TIMELINE.length - 1]!.after);
    const id = newId();
    await repo.insertIncident(trx, {
      id,
      title: "Delayed email replies",
      description: "Relay rate limit lowered by the 09:05 config deploy; rolled back at 10:00.",
      status: "resolved",
      impact: "major",
      public: true,
      affects: null,
      started_at: startedAt,
      resolved_at: resolvedAt,
      created_by_id: author?.id ?? null,
      created_at: startedAt,
      updated_at: resolvedAt,
    });
    await repo.setComponents(trx, id, [ids.get("Email delivery")!]);
    for (const u of TIMELINE)
      await repo.insertUpdate(trx, {
        id: newId(),
        incident_id: id,
        status: u.status,
        message: u.message,
        notify: false,
        resolve_linked_cases: false,
        created_by_id: author?.id ?? null,
        created_at: at(u.after),
      });
    // The cases customers raised while it lasted are its reports.
    const reports = (data.cases ?? [])
      .filter(
        (k) =>
          k.createdAt.getTime() >= startedAt.getTime() - 3600_000 &&
          k.createdAt.getTime() <= resolvedAt.getTime() &&
          k.accountId !== null,
      )
      .slice(0, 3);
    for (const k of reports)
      await repo.insertLink(trx, {
        incident_id: id,
        case_id: k.id,
        linked_by_id: author?.id ?? null,
        linked_at: at(30),
      });
  },
};
