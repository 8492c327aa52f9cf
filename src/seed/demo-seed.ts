import type { Container } from "../container.ts";
import { SYSTEM } from "../platform/auth/actor.ts";
import { seedFakers } from "./demo-catalogue.ts";
import { createProgress, progressMode } from "./progress.ts";
import { Rng, startOfDayUtc } from "./random.ts";
import type { SeedData, SeedStep } from "./seed-context.ts";
import { activitiesStep } from "./steps/activities.ts";
import { announcementsStep } from "./steps/announcements.ts";
import { casesStep } from "./steps/cases.ts";
import { accountsStep, contactsStep } from "./steps/customers.ts";
import { escalationsStep } from "./steps/escalations.ts";
import { healthStep } from "./steps/health.ts";
import { incidentsStep } from "./steps/incidents.ts";
import { routingStep } from "./steps/routing.ts";
import { slaStep } from "./steps/sla.ts";
import { staffStep } from "./steps/staff.ts";
import { surveysStep } from "./steps/surveys.ts";

export type DemoLogin = { email: string; password: string; role: string };

/**
 * The demo organisation, in order. A capability that wants demo data (cases, SLAs, surveys …)
 * adds its step here, after the steps whose data it needs (see SeedData).
 */
export const DEMO_STEPS: readonly SeedStep[] = [
  staffStep,
  accountsStep,
  contactsStep,
  casesStep,
  slaStep,
  activitiesStep,
  escalationsStep,
  routingStep,
  surveysStep,
  incidentsStep,
  healthStep,
  announcementsStep,
];

/**
 * Fills the database with a realistic organisation: staff in teams, accounts with
 * Pareto-shaped revenue, their contacts, queues and six months of cases with their threads and
 * history. The same seed and the same day give the same data
 * (ids included). Returns one sign-in per role, which `npm start` prints.
 */
export async function seedDemo(
  c: Container,
  options: { seed: number; progress: boolean; steps?: readonly SeedStep[] },
): Promise<DemoLogin[]> {
  const refDate = startOfDayUtc(c.clock.now());
  const progress = createProgress("seed", progressMode(options.progress));
  const data: SeedData = {};
  try {
    await c.db.kysely.transaction().execute(async (trx) => {
      for (const step of options.steps ?? DEMO_STEPS) {
        const stepSeed = seedOf(options.seed, step.name);
        seedFakers(stepSeed);
        await step.run({
          c,
          trx,
          rng: new Rng(stepSeed),
          refDate,
          data,
          progress: (total) => progress.task(step.name, total),
        });
      }
      await c.audit.record(trx, SYSTEM, {
        action: "demo.seeded",
        details: { seed: options.seed, ...counts(data) },
      });
    });
  } finally {
    progress.stop();
  }
  return data.logins ?? [];
}

/** Each step draws from its own stream, derived from the seed and the step's name. */
function seedOf(seed: number, stepName: string): number {
  // FNV-1a over "seed:name".
  let h = 0x811c9dc5;
  for (const ch of `${seed}:${stepName}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function counts(data: SeedData): Record<string, number> {
  return Object.fromEntries(
    Object.entries(data)
      .filter(([k, v]) => Array.isArray(v) && k !== "logins")
      .map(([k, v]) => [k, (v as unknown[]).length]),
  );
}
