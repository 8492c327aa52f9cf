import type { Container } from "../container.ts";
import type { Channel, Priority } from "../modules/cases/cases.tables.ts";
import type { Role } from "../platform/auth/actor.ts";
import type { Trx } from "../platform/db/database.ts";
import type { ProgressTask } from "./progress.ts";
import type { Rng } from "./random.ts";

export type DemoUser = {
  id: string;
  email: string;
  name: string;
  role: Role;
  teamIds: string[];
  skills: string[];
  timeZone: string;
  createdAt: Date;
};

export type DemoTeam = { id: string; name: string; leadId: string; memberIds: string[]; createdAt: Date };

export type DemoAccount = {
  id: string;
  name: string;
  domain: string;
  annualRevenue: number;
  tier: "key" | "standard";
  ownerId: string | null;
  country: string;
  timeZone: string;
  customerSince: string;
  createdAt: Date;
};

export type DemoContact = {
  id: string;
  accountId: string;
  name: string;
  email: string;
  language: string;
  timeZone: string | null;
  createdAt: Date;
};

export type DemoQueue = { id: string; key: string; name: string; teamId: string };

/** A seeded case as it stands at the seed's reference day. */
export type DemoCase = {
  id: string;
  number: number;
  accountId: string | null;
  contactId: string | null;
  ownerId: string | null;
  teamId: string | null;
  queueId: string | null;
  status: string;
  priority: Priority;
  channel: Channel;
  product: string | null;
  category: string | null;
  receivedAt: Date;
  createdAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
  parentId: string | null;
};

/**
 * What earlier steps made, for later ones: cases need accounts and agents, surveys need cases.
 * A module adding a step declares its own output by augmenting this interface:
 *
 *   declare module "../../seed/seed-context.ts" { interface SeedData { cases?: DemoCase[] } }
 */
export interface SeedData {
  users?: DemoUser[];
  teams?: DemoTeam[];
  /** The one user per role printed as demo sign-ins. */
  logins?: { email: string; password: string; role: Role }[];
  accounts?: DemoAccount[];
  contacts?: DemoContact[];
  queues?: DemoQueue[];
  cases?: DemoCase[];
}

export type StepContext = {
  c: Container;
  /** The seed runs in one transaction: a failed seed leaves no half-made organisation. */
  trx: Trx;
  /** This step's own random stream: adding a step never changes what the others make. */
  rng: Rng;
  /** Midnight UTC of the clock's today: every date the seed makes is relative to it. */
  refDate: Date;
  data: SeedData;
  /** Reports the step's progress; call once with the number of rows it will make. */
  progress(total: number): ProgressTask;
};

/** One piece of the demo organisation. Steps run in order, each in the seed's transaction. */
export type SeedStep = {
  name: string;
  run(ctx: StepContext): Promise<void>;
};

/** What an earlier step made; throws when steps are listed in the wrong order. */
export function need<K extends keyof SeedData>(data: SeedData, key: K): NonNullable<SeedData[K]> {
  const value = data[key];
  if (value === undefined) throw new Error(`seed step order: "${String(key)}" is needed before it is made`);
  return value as NonNullable<SeedData[K]>;
}
