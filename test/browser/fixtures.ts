import { test as base, type ConsoleMessage, expect } from "@playwright/test";

/** A failed request a test provokes on purpose (a 400 for an invalid field), by status and URL. */
export type TExpectedFailedLoad = { status: number; url: RegExp };

/**
 * Chromium logs every 4xx answer to fetch() as a console error. These two are the contract,
 * not bugs: `/me` answers 401 before anyone signs in, and a wrong password is a 401 too.
 */
const EXPECTED_FAILED_LOADS: readonly TExpectedFailedLoad[] = [
  { status: 401, url: /\/api\/v1\/me$/ },
  { status: 401, url: /\/api\/v1\/auth\/login$/ },
];

function isExpected(message: ConsoleMessage, extra: readonly TExpectedFailedLoad[]): boolean {
  const match = /^Failed to load resource: the server responded with a status of (\d+)/.exec(message.text());
  if (!match) return false;
  const status = Number(match[1]);
  const url = message.location().url;
  return [...EXPECTED_FAILED_LOADS, ...extra].some((load) => load.status === status && load.url.test(url));
}

/**
 * `test` that fails when the page logs a console error or throws an uncaught exception. A spec
 * that provokes an error answer on purpose lists it: `test.use({ expectedFailedLoads: [...] })`.
 */
export const test = base.extend<{ consoleErrors: string[]; expectedFailedLoads: TExpectedFailedLoad[] }>({
  expectedFailedLoads: [[], { option: true }],
  consoleErrors: [
    async ({ page, expectedFailedLoads }, use) => {
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error" && !isExpected(message, expectedFailedLoads)) {
          errors.push(`console.error: ${message.text()} (${message.location().url})`);
        }
      });
      page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
      await use(errors);
      expect(errors, "the page logged errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
