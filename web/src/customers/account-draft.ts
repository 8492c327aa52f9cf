import type { TAccount, TAccountInput, TAccountPatch } from "./api";

/** The account form's values and how they become API bodies (kept apart from the UI for tests). */

export const ACCOUNT_FIELDS = [
  "name",
  "domain",
  "annualRevenue",
  "ownerId",
  "industry",
  "country",
  "timeZone",
  "customerSince",
] as const;
export type TAccountField = (typeof ACCOUNT_FIELDS)[number];

/** The form's values: strings as typed; "" means empty. */
export type TAccountDraft = {
  name: string;
  domain: string;
  annualRevenue: number | string;
  ownerId: string | null;
  industry: string;
  country: string | null;
  timeZone: string | null;
  customerSince: string;
};

/** Plain words for what the server's schema refuses (it speaks Ajv). */
export const ACCOUNT_HINTS: Partial<Record<TAccountField, string>> = {
  name: "Enter a name of at most 200 characters.",
  domain: "Enter a domain like acme.com (without https:// or a path).",
  annualRevenue: "Enter an amount of zero or more, with at most two decimals.",
  ownerId: "Choose an owner from the list.",
  industry: "Use at most 100 characters.",
  country: "Choose a country from the list.",
  timeZone: "Choose a time zone from the list.",
  customerSince: "Enter a date, or leave it empty.",
};

export function emptyAccountDraft(): TAccountDraft {
  return {
    name: "",
    domain: "",
    annualRevenue: "",
    ownerId: null,
    industry: "",
    country: null,
    timeZone: null,
    customerSince: "",
  };
}

export function draftFromAccount(account: TAccount): TAccountDraft {
  return {
    name: account.name,
    domain: account.domain ?? "",
    annualRevenue: account.annualRevenue,
    ownerId: account.ownerId,
    industry: account.industry ?? "",
    country: account.country,
    timeZone: account.timeZone,
    customerSince: account.customerSince ?? "",
  };
}

function revenueOf(value: number | string): number | undefined {
  if (value === "" || value === null) return undefined;
  const amount = typeof value === "number" ? value : Number(value);
  return Number.isFinite(amount) ? amount : undefined;
}

/** The POST body: empty optional fields are left out (the server's defaults apply). */
export function createAccountBody(draft: TAccountDraft): TAccountInput {
  const body: TAccountInput = { name: draft.name.trim() };
  const revenue = revenueOf(draft.annualRevenue);
  if (revenue !== undefined) body.annualRevenue = revenue;
  if (draft.domain.trim()) body.domain = draft.domain.trim();
  if (draft.ownerId) body.ownerId = draft.ownerId;
  if (draft.industry.trim()) body.industry = draft.industry.trim();
  if (draft.country) body.country = draft.country;
  if (draft.timeZone) body.timeZone = draft.timeZone;
  if (draft.customerSince) body.customerSince = draft.customerSince;
  return body;
}

/** The PATCH body: only what changed; an emptied optional field becomes null. */
export function accountPatchBody(original: TAccount, draft: TAccountDraft): TAccountPatch {
  const patch: TAccountPatch = {};
  const name = draft.name.trim();
  if (name !== original.name) patch.name = name;
  const revenue = revenueOf(draft.annualRevenue) ?? 0;
  if (revenue !== original.annualRevenue) patch.annualRevenue = revenue;
  const domain = draft.domain.trim() || null;
  if (domain !== original.domain) patch.domain = domain;
  if (draft.ownerId !== original.ownerId) patch.ownerId = draft.ownerId;
  const industry = draft.industry.trim() || null;
  if (industry !== original.industry) patch.industry = industry;
  if (draft.country !== original.country) patch.country = draft.country;
  if (draft.timeZone && draft.timeZone !== original.timeZone) patch.timeZone = draft.timeZone;
  const customerSince = draft.customerSince || null;
  if (customerSince !== original.customerSince) patch.customerSince = customerSince;
  return patch;
}
