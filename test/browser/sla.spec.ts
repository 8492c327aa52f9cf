import type { Page } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "./credentials.ts";
import { expect, test } from "./fixtures.ts";

// Unique per run: the policy applies only to this run's product, so other specs' cases stay
// without an SLA whatever order the specs run in.
const RUN = Date.now().toString(36);
const CALENDAR = `Around the clock ${RUN}`;
const POLICY = `Urgent support ${RUN}`;
const PRODUCT = `sla-${RUN}`;

async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
}

/** Picks an option of a Mantine Select or MultiSelect. */
async function pick(page: Page, label: string, option: string | RegExp) {
  await page.getByRole("combobox", { name: label }).click({ force: true });
  await page.getByRole("option", { name: option }).first().click();
  await page.keyboard.press("Escape");
}

test("an SLA set up in admin puts a live countdown on a new case and its queue row", async ({ page }) => {
  // Two admin forms, a new case and the queue: longer than one screen's test.
  test.setTimeout(90_000);
  await signIn(page);

  // ---- a business calendar, through the admin screens ----
  await page.getByRole("link", { name: "Admin" }).click();
  await expect(page).toHaveURL(/\/admin\/calendars$/);
  await expect(page.getByRole("navigation", { name: "Admin" })).toBeVisible();
  await page.getByRole("link", { name: "New calendar" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "New calendar" })).toBeVisible();
  await page.getByRole("textbox", { name: "Name", exact: true }).fill(CALENDAR);
  // Mon–Fri 9–17 is the starting point; a closed week is refused next to the grid (422).
  await expect(page.getByLabel("Monday, interval 1 start")).toHaveValue("09:00");
  await page.getByRole("button", { name: "24×7" }).click();
  await expect(page.getByLabel("Sunday, interval 1 end")).toHaveValue("24:00");
  await page.getByRole("button", { name: "Create calendar" }).click();
  await expect(page).toHaveURL(/\/admin\/calendars$/);
  const calendarRow = page
    .getByRole("table", { name: "Business calendars" })
    .getByRole("row")
    .filter({ hasText: CALENDAR });
  await expect(calendarRow).toContainText("Around the clock");

  // ---- an SLA policy for this run's product ----
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "SLA policies" }).click();
  await page.getByRole("link", { name: "New policy" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "New SLA policy" })).toBeVisible();
  await page.getByRole("textbox", { name: "Name", exact: true }).fill(POLICY);
  await pick(page, "Business calendar", CALENDAR);
  await page.getByRole("combobox", { name: "Product" }).fill(PRODUCT);
  await page.getByRole("combobox", { name: "Product" }).press("Enter");
  await page.getByRole("textbox", { name: "First response" }).fill("60");
  await page.getByRole("textbox", { name: "Resolution" }).fill("480");
  await expect(page.getByTestId("policy-preview")).toContainText("first response within 1 h");
  await expect(page.getByTestId("policy-preview")).toContainText("resolved within 8 h");
  await page.getByRole("button", { name: "Create policy" }).click();
  await expect(page).toHaveURL(/\/admin\/sla-policies$/);
  const policyRow = page.getByTestId("policy-row").filter({ hasText: POLICY });
  await expect(policyRow).toContainText(`Product ${PRODUCT}`);
  await expect(policyRow).toContainText("1 h / 8 h");
  await expect(policyRow.getByRole("switch", { name: `${POLICY} active` })).toBeChecked();

  // Switching a policy off is saved at once (it survives a reload); on again before the case.
  // The switch shows the saved state, so it flips when the server has answered: a click, then
  // waiting for the state (not `uncheck()`, which wants the flip at once).
  const active = policyRow.getByRole("switch", { name: `${POLICY} active` });
  await active.click({ force: true });
  await expect(page.getByTestId("live-region")).toHaveText(`${POLICY} switched off`);
  await expect(active).not.toBeChecked();
  await page.reload();
  await expect(active).not.toBeChecked();
  await active.click({ force: true });
  await expect(page.getByTestId("live-region")).toHaveText(`${POLICY} switched on`);
  await page.reload();
  await expect(active).toBeChecked();

  // ---- a case the policy applies to ----
  await page.getByRole("link", { name: "Inbox" }).click();
  await page.getByRole("link", { name: "New case" }).click();
  const subject = `Checkout rejects every card ${RUN}`;
  await page.getByRole("textbox", { name: "Subject" }).fill(subject);
  await page.getByRole("textbox", { name: "Product" }).fill(PRODUCT);
  await page.getByRole("button", { name: "Create case" }).click();
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();

  // The header chip and the panel count down to the first response (an hour, to the minute).
  const due = /First response due in (59 minutes|1 hour)$/;
  await expect(page.getByRole("timer", { name: due })).toHaveCount(2);
  const sla = page.getByTestId("case-sla");
  await expect(sla.getByTestId("sla-clock-firstResponse").getByRole("timer")).toHaveAccessibleName(due);
  await expect(sla.getByTestId("sla-clock-firstResponse").getByRole("timer")).toHaveText(/^(59m|1h 00m)$/);
  await expect(sla.getByTestId("sla-clock-resolution")).toContainText("8 h business time");
  await expect(sla.getByTestId("sla-policy-name")).toHaveText(POLICY);
  await expect(sla).toContainText(`product = ${PRODUCT}`);

  // ---- and in the queue: the row's next breach, and the "Breaching soon" view ----
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/\/cases$/);
  const row = page
    .getByRole("table", { name: /cases$/ })
    .getByRole("row")
    .filter({ hasText: subject });
  await expect(row.getByRole("timer", { name: due })).toHaveText(/^(59m|1h 00m)$/);
  await expect(row.getByRole("timer")).toHaveAttribute("data-tone", "ok");
  await page.getByTestId("view-breaching").click();
  await expect(page).toHaveURL(/view=breaching/);
  await expect(row.getByRole("timer", { name: due })).toBeVisible();
  await page.screenshot({ path: "test-results/sla-queue.png" });
});
