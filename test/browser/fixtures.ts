import { test as base, type ConsoleMessage, expect } from "@playwright/test";

/**
 * Chromium logs every 4xx answer to fetch() as a console error. These two are the contract,
 * not bugs: `/me` answers 401 before anyone signs in, and a wrong password is a 401 too.
 */
const EXPECTED_FAILED_LOADS = [/\/api\/v1\/me$/, /\/api\/v1\/auth\/login$/];

function isExpected(message: ConsoleMessage): boolean {
  if (!message.text().startsWith("Failed to load resource: the server responded with a status of 401")) {
    return false;
  }
  const url = message.location().url;
  return EXPECTED_FAILED_LOADS.some((pattern) => pattern.test(url));
}

/** `test` that fails when the page logs a console error or throws an uncaught exception. */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error" && !isExpected(message)) {
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
