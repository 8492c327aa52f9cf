import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "./test/browser/credentials.ts";

/**
 * Browser tests: Debian's Chromium (never `playwright install`) against a real
 * `keepdesk serve` on a throwaway embedded database. The server serves the built app from
 * web/dist, so build first (`npm run test:browser` does).
 */

const PORT = Number(process.env.KEEPDESK_E2E_PORT ?? 3917);
const BASE_URL = `http://127.0.0.1:${PORT}`;

// Playwright loads this file in the runner and again in each worker; the environment variable
// makes them all agree on one data directory instead of each creating its own.
process.env.KEEPDESK_BROWSER_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "keepdesk-browser-"));

export default defineConfig({
  testDir: "test/browser",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: "list",
  forbidOnly: Boolean(process.env.CI),
  timeout: 30_000,
  expect: { timeout: 5_000 },
  use: {
    baseURL: BASE_URL,
    headless: true,
    viewport: { width: 1440, height: 900 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    command: "node bin/keepdesk.mjs serve",
    url: `${BASE_URL}/ready`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      KEEPDESK_DATA_DIR: process.env.KEEPDESK_BROWSER_DATA_DIR,
      KEEPDESK_ADMIN_EMAIL: ADMIN_EMAIL,
      KEEPDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
      HOST: "127.0.0.1",
      PORT: String(PORT),
    },
  },
});
