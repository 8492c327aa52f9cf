/** The admin the browser tests' server creates at start (see playwright.config.ts). */
export const ADMIN_EMAIL = "admin@example.test";
export const ADMIN_PASSWORD = "correct-horse-battery";
