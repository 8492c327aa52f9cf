import {
  type Faker,
  faker,
  fakerDA,
  fakerDE,
  fakerDE_AT,
  fakerDE_CH,
  fakerEN_AU,
  fakerEN_CA,
  fakerEN_GB,
  fakerEN_IE,
  fakerEN_IN,
  fakerEN_US,
  fakerEN_ZA,
  fakerES,
  fakerES_MX,
  fakerFR,
  fakerIT,
  fakerNB_NO,
  fakerNL,
  fakerNL_BE,
  fakerPL,
  fakerPT_BR,
  fakerSV,
} from "@faker-js/faker";

/**
 * The fixed vocabulary of the demo organisation: what it sells, where its customers are, the
 * languages it answers in. Later seed steps (cases, SLAs, routing rules) draw from the same
 * lists, so a case's product is one an agent has as a skill.
 */

/** The demo company sells a data-analytics product line; these are its products (case product, agent skills). */
export const PRODUCTS = [
  "Analytics Cloud",
  "Data Connectors",
  "Dashboards",
  "Mobile App",
  "Public API",
  "Billing Portal",
] as const;

export const INDUSTRIES = [
  ["Retail", 14],
  ["Manufacturing", 12],
  ["Financial Services", 10],
  ["Healthcare", 9],
  ["Logistics", 8],
  ["Software", 12],
  ["Education", 5],
  ["Hospitality", 5],
  ["Energy", 4],
  ["Media", 4],
  ["Professional Services", 9],
  ["Public Sector", 3],
  ["Telecommunications", 3],
  ["Construction", 3],
] as const satisfies readonly (readonly [string, number])[];

export type Country = {
  /** ISO 3166-1 alpha-2, what the accounts table stores. */
  code: string;
  weight: number;
  timeZones: readonly string[];
  /** What contacts there mostly speak (ISO 639-1); the rest write in English. */
  language: string;
  /** Names, companies and phone numbers in the local style. */
  faker: Faker;
};

export const COUNTRIES: readonly Country[] = [
  {
    code: "US",
    weight: 24,
    timeZones: ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"],
    language: "en",
    faker: fakerEN_US,
  },
  { code: "GB", weight: 14, timeZones: ["Europe/London"], language: "en", faker: fakerEN_GB },
  { code: "DE", weight: 11, timeZones: ["Europe/Berlin"], language: "de", faker: fakerDE },
  { code: "FR", weight: 7, timeZones: ["Europe/Paris"], language: "fr", faker: fakerFR },
  { code: "NL", weight: 5, timeZones: ["Europe/Amsterdam"], language: "nl", faker: fakerNL },
  {
    code: "CA",
    weight: 5,
    timeZones: ["America/Toronto", "America/Vancouver"],
    language: "en",
    faker: fakerEN_CA,
  },
  {
    code: "AU",
    weight: 4,
    timeZones: ["Australia/Sydney", "Australia/Melbourne", "Australia/Perth"],
    language: "en",
    faker: fakerEN_AU,
  },
  { code: "ES", weight: 4, timeZones: ["Europe/Madrid"], language: "es", faker: fakerES },
  { code: "IT", weight: 4, timeZones: ["Europe/Rome"], language: "it", faker: fakerIT },
  { code: "SE", weight: 3, timeZones: ["Europe/Stockholm"], language: "sv", faker: fakerSV },
  { code: "IE", weight: 2, timeZones: ["Europe/Dublin"], language: "en", faker: fakerEN_IE },
  { code: "CH", weight: 2, timeZones: ["Europe/Zurich"], language: "de", faker: fakerDE_CH },
  { code: "AT", weight: 2, timeZones: ["Europe/Vienna"], language: "de", faker: fakerDE_AT },
  { code: "BE", weight: 2, timeZones: ["Europe/Brussels"], language: "nl", faker: fakerNL_BE },
  { code: "PL", weight: 2, timeZones: ["Europe/Warsaw"], language: "pl", faker: fakerPL },
  { code: "NO", weight: 1, timeZones: ["Europe/Oslo"], language: "no", faker: fakerNB_NO },
  { code: "DK", weight: 1, timeZones: ["Europe/Copenhagen"], language: "da", faker: fakerDA },
  { code: "BR", weight: 2, timeZones: ["America/Sao_Paulo"], language: "pt", faker: fakerPT_BR },
  { code: "MX", weight: 1, timeZones: ["America/Mexico_City"], language: "es", faker: fakerES_MX },
  { code: "IN", weight: 2, timeZones: ["Asia/Kolkata"], language: "en", faker: fakerEN_IN },
  { code: "ZA", weight: 1, timeZones: ["Africa/Johannesburg"], language: "en", faker: fakerEN_ZA },
];

/** Every faker the seed uses, in a fixed order, so seeding them all makes the run repeatable. */
export const ALL_FAKERS: readonly Faker[] = [...new Set(COUNTRIES.map((c) => c.faker))];

/** Seeds the default faker and every local one: the same seed, the same names. */
export function seedFakers(seed: number): void {
  faker.seed(seed);
  ALL_FAKERS.forEach((f, i) => {
    f.seed(seed + i + 1);
  });
}

/** Job titles of the people who contact a B2B vendor's support. */
export const CONTACT_TITLES = [
  ["IT Manager", 10],
  ["Head of IT", 5],
  ["Systems Administrator", 8],
  ["Data Analyst", 10],
  ["Business Intelligence Lead", 5],
  ["Operations Manager", 8],
  ["Finance Manager", 5],
  ["Accounts Payable Specialist", 4],
  ["Procurement Manager", 3],
  ["Office Manager", 4],
  ["Marketing Manager", 4],
  ["Software Engineer", 7],
  ["Product Owner", 4],
  ["CTO", 2],
  ["CFO", 1],
  ["CEO", 1],
  ["Customer Service Lead", 4],
  ["Head of Data", 3],
] as const satisfies readonly (readonly [string, number])[];

/** Where Keepdesk's own staff in the demo sit. */
export const STAFF_TIME_ZONES = [
  ["Europe/London", 8],
  ["Europe/Berlin", 5],
  ["America/New_York", 6],
  ["America/Chicago", 2],
  ["America/Los_Angeles", 2],
  ["Australia/Sydney", 1],
  ["Asia/Singapore", 1],
] as const satisfies readonly (readonly [string, number])[];

/** Languages agents may speak besides English (skills `lang:<code>`). */
export const AGENT_LANGUAGES = ["de", "fr", "es", "nl", "it", "pt", "sv", "pl"] as const;

export const DEMO_EMAIL_DOMAIN = "keepdesk.example";
/** One easy password for every demo user: printed at start, and written in the README. */
export const DEMO_PASSWORD = "keepdesk-demo";
