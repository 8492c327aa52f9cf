import type { APIRequestContext, Page } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "./credentials.ts";
import { expect, test } from "./fixtures.ts";

type TCase = { id: string; number: string; subject: string };

// Unique per run, so searches find exactly this run's records.
const RUN = Date.now().toString(36);

async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
}

async function post<T>(request: APIRequestContext, token: string, path: string, data: unknown): Promise<T> {
  const response = await request.post(path, { data, headers: { "X-CSRF-Token": token } });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as T;
}

test("account: its cases, its timeline (live), and the header search", async ({ page }) => {
  await signIn(page);
  const me = await page.request.get("/api/v1/me");
  const { csrfToken: token, user } = (await me.json()) as { csrfToken: string; user: { name: string } };

  const account = await post<{ id: string; name: string }>(page.request, token, "/api/v1/accounts", {
    name: `Fjord Outfitters ${RUN}`,
    domain: `fjord-${RUN}.example`,
    annualRevenue: 120_000,
    timeZone: "Europe/Oslo",
  });
  const contact = await post<{ id: string }>(page.request, token, "/api/v1/contacts", {
    accountId: account.id,
    name: "Maya Lindqvist",
    email: `maya.${RUN}@example.test`,
  });
  const first = await post<TCase>(page.request, token, "/api/v1/cases", {
    subject: `Tent poles arrived bent ${RUN}`,
    contactId: contact.id,
    priority: "high",
  });

  // ---- cases tab ----
  await page.goto(`/accounts/${account.id}?tab=cases`);
  const open = page.getByRole("table", { name: `Open cases of ${account.name}` });
  const row = open.getByRole("row").filter({ hasText: first.number });
  await expect(row).toContainText(first.subject);
  await expect(row).toContainText("High");
  await expect(page.getByRole("link", { name: "New case" })).toHaveAttribute(
    "href",
    `/cases/new?accountId=${account.id}`,
  );

  // ---- timeline: what happened, by whom, live ----
  await page.getByRole("tab", { name: "Timeline" }).click();
  const timeline = page.getByTestId("account-timeline");
  await expect(timeline.getByText(`Case ${first.number} created by ${user.name}`)).toBeVisible();
  await expect(timeline.getByText(`Contact Maya Lindqvist added by ${user.name}`)).toBeVisible();
  await expect(timeline.getByRole("heading", { name: "Today" })).toBeVisible();
  // A case made elsewhere shows without a reload.
  const second = await post<TCase>(page.request, token, "/api/v1/cases", {
    subject: `Wrong size of sleeping bag ${RUN}`,
    accountId: account.id,
  });
  await expect(timeline.getByText(`Case ${second.number} created by ${user.name}`)).toBeVisible();
  // Later capabilities' events read as words too, live: an escalation and feedback from the case.
  await post(page.request, token, `/api/v1/cases/${second.id}/escalations`, {
    reason: `Third time this month ${RUN}`,
  });
  await post(page.request, token, "/api/v1/feedback", {
    kind: "complaint",
    title: `Bags run small ${RUN}`,
    caseId: second.id,
  });
  await expect(timeline).toContainText(`Escalated to a manager: Third time this month ${RUN}`);
  await expect(timeline).toContainText(`Complaint recorded: Bags run small ${RUN}`);
  await page.screenshot({ path: "test-results/account-timeline.png", fullPage: true });
  await timeline.getByRole("link", { name: second.number }).first().click();
  await expect(page).toHaveURL(new RegExp(`/cases/${second.id}$`));

  // ---- the contact's own cases ----
  await page.goto(`/contacts/${contact.id}`);
  const contactCases = page.getByRole("table", { name: "Open cases of Maya Lindqvist" });
  await expect(contactCases.getByRole("row").filter({ hasText: first.number })).toBeVisible();
  await expect(contactCases.getByRole("row").filter({ hasText: second.number })).toHaveCount(0);
  // A click on the row opens the case.
  await contactCases.getByRole("row").filter({ hasText: first.number }).getByText("High").click();
  await expect(page).toHaveURL(new RegExp(`/cases/${first.id}$`));

  // ---- header search: Enter lands on the queue with the query applied ----
  await page.goto("/my-day");
  const search = page.getByRole("banner").getByRole("searchbox", { name: "Search cases" });
  await search.fill(`sleeping bag ${RUN}`);
  await search.press("Enter");
  await expect(page).toHaveURL(/\/cases\?q=sleeping\+bag/);
  await expect(page.getByRole("searchbox", { name: "Find cases" })).toHaveValue(`sleeping bag ${RUN}`);
  await expect(
    page.getByRole("link", { name: new RegExp(`Wrong size of sleeping bag ${RUN}`) }),
  ).toBeVisible();
  await expect(page.getByRole("link", { name: new RegExp(`Tent poles arrived bent ${RUN}`) })).toHaveCount(0);
});
