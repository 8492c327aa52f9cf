import { defineConfig } from "vitest/config";

/**
 * Two projects. `pglite`: every test, databases on embedded PGlite (what `npm test` runs on a
 * fresh machine). `postgres`: when DATABASE_URL is set, the database suite (`*.db.test.ts`) and
 * the server-only tests (`*.pg.test.ts`) again against that server, each file in a database
 * of its own cloned from a migrated template.
 */
const withPostgres = Boolean(process.env.DATABASE_URL);

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        test: {
          name: "pglite",
          include: ["src/**/*.test.ts", "test/**/*.test.ts", "bench/**/*.test.ts", "web/src/**/*.test.ts"],
          exclude: ["**/*.pg.test.ts", "test/browser/**", "node_modules/**"],
          globalSetup: ["test/support/global-setup.ts"],
          env: { KEEPDESK_TEST_DB: "pglite", TZ: "UTC" },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      ...(withPostgres
        ? [
            {
              test: {
                name: "postgres",
                include: [
                  "src/**/*.db.test.ts",
                  "test/**/*.db.test.ts",
                  "bench/**/*.db.test.ts",
                  "src/**/*.pg.test.ts",
                  "test/**/*.pg.test.ts",
                ],
                exclude: ["test/browser/**", "node_modules/**"],
                globalSetup: ["test/support/global-setup.ts"],
                env: { KEEPDESK_TEST_DB: "postgres", TZ: "UTC" },
                testTimeout: 60_000,
                hookTimeout: 60_000,
              },
            },
          ]
        : []),
    ],
  },
});
