import type { APIRequestContext, Page } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "./credentials.ts";
import { expect, test } from "./fixtures.ts";

// The first "New account" submit has an invalid domain on purpose: its 400 is the point.
test.use({ expectedFailedLoads: [{ status: 400, url: /\/api\/v1\/accounts$/ }] });

type TAccount = { id: string; name: string; annualRevenue: number; tier: "key" | "standard" };

// Unique per run, so searches find exactly this run's account.
const RUN = Date.now().toString(36);

async function signIn(page: Page, email = ADMIN_EMAIL, password = ADMIN_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
}

/** The CSRF token of the request context's session (from `/me`, as the app gets it). */
async function csrfOf(request: APIRequestContext): Promise<string> {
  const me = await request.get("/api/v1/me");
  expect(me.status()).toBe(200);
  return ((await me.json()) as { csrfToken: string }).csrfToken;
}

async function createAccount(request: APIRequestContext, token: string, data: Record<string, unknown>) {
  const response = await request.post("/api/v1/accounts", { data, headers: { "X-CSRF-Token": token } });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as TAccount;
}

async function largestRevenue(request: APIRequestContext): Promise<number> {
  const response = await request.get("/api/v1/accounts?sort=-annualRevenue&limit=1");
  const { items } = (await response.json()) as { items: TAccount[] };
  return items[0]?.annualRevenue ?? 0;
}

/** Picks an option of a Mantine Select by typing part of it (as a keyboard user would). */
async function choose(
  page: Page,
  scope: ReturnType<Page["getByRole"]>,
  label: string,
  typed: string,
  option: RegExp,
) {
  const input = scope.getByRole("combobox", { name: label });
  await input.click();
  await input.fill(typed);
  await page.getByRole("option", { name: option }).first().click();
}

test("customers: create an account, find it, open it, add a contact, re-tier it, see a live rename", async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(90_000);
  await signIn(page);
  const token = await csrfOf(page.request);

  // Other customers first, so the Pareto cut is predictable whatever else the database holds:
  // Northwind tops the ranking (so it is key), and the account made below starts far under
  // them all (standard).
  const northwindRevenue = Math.max(
    4_200_000,
    Math.ceil((await largestRevenue(page.request)) / 500_000) * 1_000_000,
  );
  await createAccount(page.request, token, {
    name: `Northwind Traders ${RUN}`,
    domain: `northwind-${RUN}.example`,
    annualRevenue: northwindRevenue,
    industry: "Logistics",
    country: "GB",
    timeZone: "Europe/London",
  });
  await createAccount(page.request, token, {
    name: `Globex Corporation ${RUN}`,
    domain: `globex-${RUN}.example`,
    annualRevenue: 2_750_000,
    industry: "Manufacturing",
    country: "US",
    timeZone: "America/Chicago",
  });
  await createAccount(page.request, token, {
    name: `Initech ${RUN}`,
    domain: `initech-${RUN}.example`,
    annualRevenue: 380_000,
    industry: "Software",
    country: "US",
    timeZone: "America/New_York",
  });
  await createAccount(page.request, token, {
    name: `Kestrel Dental ${RUN}`,
    domain: `kestrel-${RUN}.example`,
    annualRevenue: 64_500,
    industry: "Healthcare",
    country: "IE",
    timeZone: "Europe/Dublin",
  });

  // ---- the list ----
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Customers" }).click();
  await expect(page).toHaveURL(/\/accounts$/);
  await expect(page.getByRole("heading", { level: 1, name: "Customers" })).toBeVisible();
  const table = page.getByRole("table", { name: "Accounts" });
  await expect(table.getByRole("link", { name: `Northwind Traders ${RUN}` })).toBeVisible();
  // Tier and revenue shown as such: the biggest account is key.
  const northwindRow = table.getByRole("row").filter({ hasText: `Northwind Traders ${RUN}` });
  await expect(northwindRow.getByTestId("key-badge")).toBeVisible();
  await expect(northwindRow).toContainText(`$${northwindRevenue.toLocaleString("en-US")}`);
  await expect(northwindRow).toContainText("Not scored");

  // ---- new account: a server-side validation error lands on its field ----
  const name = `Lumen Analytics ${RUN}`;
  await page.getByRole("button", { name: "New account" }).click();
  const dialog = page.getByRole("dialog", { name: "New account" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("textbox", { name: "Name" })).toBeFocused();
  await dialog.getByRole("textbox", { name: "Name" }).fill(name);
  await dialog.getByRole("textbox", { name: "Domain" }).fill("not a domain");
  await dialog.getByRole("textbox", { name: "Annual revenue" }).fill("1200");
  await choose(page, dialog, "Owner", "Admin", /Administrator/);
  await dialog.getByRole("combobox", { name: "Industry" }).fill("Software");
  await choose(page, dialog, "Country", "Germ", /^Germany \(DE\)$/);
  await choose(page, dialog, "Time zone", "Berlin", /^Europe\/Berlin/);

  const [refused] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/v1/accounts") && r.request().method() === "POST"),
    dialog.getByRole("button", { name: "Create account" }).click(),
  ]);
  expect(refused.status()).toBe(400);
  const problem = (await refused.json()) as { errors: { path: string }[] };
  expect(problem.errors.map((e) => e.path)).toContain("/domain");
  const domain = dialog.getByRole("textbox", { name: "Domain" });
  await expect(domain).toHaveAttribute("aria-invalid", "true");
  await expect(domain).toBeFocused();
  await expect(dialog.getByText("Enter a domain like acme.com")).toBeVisible();

  await domain.fill(`lumen-${RUN}.example`);
  await expect(domain).not.toHaveAttribute("aria-invalid", "true");
  await dialog.getByRole("button", { name: "Create account" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("live-region")).toHaveText(`Account created: ${name}`);
  const createdRow = table.getByRole("row").filter({ hasText: name });
  await expect(createdRow).toBeVisible();
  await expect(createdRow).toContainText("$1,200");
  await expect(createdRow).toContainText("Administrator");
  await expect(createdRow.getByTestId("key-badge")).toHaveCount(0);

  await page.screenshot({ path: "test-results/accounts-list.png" });

  // ---- keyboard: the new account is the selected row; j/k move from it (and focus follows) ----
  await page.evaluate("document.activeElement?.blur()");
  const rowLinks = table.locator("a[data-row-link]");
  const names = await rowLinks.allTextContents();
  const createdIndex = names.indexOf(name);
  expect(createdIndex).toBeGreaterThanOrEqual(0);
  expect(createdIndex).toBeLessThan(names.length - 1);
  await expect(createdRow).toHaveAttribute("data-selected", "true");
  await page.keyboard.press("j");
  await expect(rowLinks.nth(createdIndex + 1)).toBeFocused();
  await page.keyboard.press("k");
  await expect(rowLinks.nth(createdIndex)).toBeFocused();
  await page.keyboard.press("k");
  await expect(rowLinks.nth(createdIndex - 1)).toBeFocused();
  await expect(table.getByRole("row").nth(createdIndex)).toHaveAttribute("data-selected", "true");

  await page.keyboard.press("/");
  const search = page.getByRole("searchbox", { name: "Search accounts" });
  await expect(search).toBeFocused();
  await page.keyboard.type("lumen analytics");
  await expect(page).toHaveURL(/\?q=lumen\+analytics$/);
  await expect(table.getByRole("link")).toHaveCount(1);
  await expect(table.getByRole("link", { name })).toBeVisible();
  await expect(page.getByTestId("live-region")).toHaveText("1 account found");

  // A domain finds it too (the search box is reflected in the URL both ways).
  await page.goto(`/accounts?q=lumen-${RUN}.example`);
  await expect(page.getByRole("searchbox", { name: "Search accounts" })).toHaveValue(`lumen-${RUN}.example`);
  await expect(table.getByRole("link")).toHaveCount(1);

  // Arrow down from the search box lands on the first row; `o` opens it.
  await page.getByRole("searchbox", { name: "Search accounts" }).press("ArrowDown");
  await expect(table.getByRole("link", { name })).toBeFocused();
  await page.keyboard.press("o");

  // ---- the account ----
  await expect(page).toHaveURL(/\/accounts\/[0-9a-f-]{36}$/);
  const accountId = page.url().split("/").pop()!;
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByTestId("standard-badge")).toBeVisible();
  await expect(page.getByTestId("health-chip").first()).toHaveText("Not scored");
  const facts = page.getByTestId("account-facts");
  await expect(facts).toContainText("Administrator");
  await expect(facts).toContainText("$1,200");
  await expect(facts).toContainText(`lumen-${RUN}.example`);
  await expect(page.getByRole("tab", { name: "Contacts (0)" })).toHaveAttribute("aria-selected", "true");

  // Cases: none yet for a new account, and a way to log one for it.
  await page.getByRole("tab", { name: "Cases" }).click();
  await expect(page.getByText("No cases yet")).toBeVisible();
  await expect(page.getByRole("link", { name: "New case" })).toHaveAttribute(
    "href",
    /\/cases\/new\?accountId=/,
  );

  // ---- add a contact ----
  await page.getByRole("tab", { name: /Contacts/ }).click();
  await page.getByRole("button", { name: "Add contact" }).click();
  const contactDialog = page.getByRole("dialog", { name: "Add contact" });
  await contactDialog.getByRole("textbox", { name: "Name" }).fill("Maya Lindqvist");
  await contactDialog.getByRole("textbox", { name: "Email" }).fill(`maya.${RUN}@lumen.example`);
  await contactDialog.getByRole("textbox", { name: "Phone" }).fill("+49 30 901820");
  await contactDialog.getByRole("textbox", { name: "Job title" }).fill("Head of Customer Operations");
  await contactDialog.getByRole("button", { name: "Add contact" }).click();
  await expect(contactDialog).toBeHidden();
  await expect(page.getByTestId("live-region")).toHaveText("Contact added: Maya Lindqvist");
  const contacts = page.getByRole("table", { name: `Contacts at ${name}` });
  await expect(contacts.getByRole("link", { name: "Maya Lindqvist" })).toBeVisible();
  await expect(contacts).toContainText(`maya.${RUN}@lumen.example`);
  await expect(page.getByRole("tab", { name: "Contacts (1)" })).toBeVisible();

  // ---- edit the revenue: the Pareto cut makes it key ----
  const top = await largestRevenue(page.request);
  const bigger = Math.ceil((top * 3) / 1000) * 1000;
  await page.getByRole("tab", { name: "Details" }).click();
  const revenue = page.getByRole("textbox", { name: "Annual revenue" });
  await revenue.fill(String(bigger));
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("key-badge")).toBeVisible();
  await expect(page.getByTestId("standard-badge")).toHaveCount(0);
  await expect(facts).toContainText(`$${bigger.toLocaleString("en-US")}`);
  await expect(page.getByTestId("live-region")).toHaveText(`Account saved. ${name} is now a key account.`);

  // ---- someone else renames it: the open page follows without a reload ----
  await page.getByRole("tab", { name: /Contacts/ }).click();
  await page.evaluate("window.__sameDocument = true");
  const elsewhere = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const login = await elsewhere.request.post("/api/v1/auth/login", {
    data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
  });
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const renamed = `Lumen Insights ${RUN}`;
  const patch = await elsewhere.request.patch(`/api/v1/accounts/${accountId}`, {
    data: { name: renamed },
    headers: { "X-CSRF-Token": csrfToken },
  });
  expect(patch.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: renamed })).toBeVisible();
  expect(await page.evaluate("window.__sameDocument")).toBe(true);
  await elsewhere.close();

  await expect(page.getByTestId("live-status")).toHaveText("Live");
  await page.screenshot({ path: "test-results/account.png" });

  // ---- the contact ----
  const renamedContacts = page.getByRole("table", { name: `Contacts at ${renamed}` });
  await renamedContacts.getByRole("link", { name: "Maya Lindqvist" }).click();
  await expect(page).toHaveURL(/\/contacts\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name: "Maya Lindqvist" })).toBeVisible();
  const contactFacts = page.getByTestId("contact-facts");
  await expect(contactFacts).toContainText(`maya.${RUN}@lumen.example`);
  await expect(contactFacts).toContainText("+49 30 901820");
  await expect(contactFacts).toContainText("English");
  // No zone of their own: the account's (Berlin) applies, with the local time beside it.
  await expect(page.getByText("Europe/Berlin")).toBeVisible();
  await expect(page.getByRole("link", { name: renamed }).first()).toBeVisible();
  await expect(
    page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Customers" }),
  ).toHaveAttribute("aria-current", "page");
  await page.screenshot({ path: "test-results/contact.png" });

  // ---- phone width: one column ----
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/accounts/${accountId}`);
  await expect(page.getByRole("heading", { level: 1, name: renamed })).toBeVisible();
  const mainBox = await page.getByRole("tabpanel").boundingBox();
  const asideBox = await page.getByRole("complementary", { name: "About this account" }).boundingBox();
  expect(asideBox!.y).toBeGreaterThan(mainBox!.y);
  expect(Math.abs(asideBox!.x - mainBox!.x)).toBeLessThan(24);
  await page.screenshot({ path: "test-results/account-phone.png", fullPage: true });
});

test("deleting an account is for administrators and managers, after a confirmation", async ({
  page,
  browser,
}) => {
  await signIn(page);
  const token = await csrfOf(page.request);
  const doomed = await createAccount(page.request, token, {
    name: `Short Lived Ltd ${RUN}`,
    annualRevenue: 10,
  });

  // An agent sees the account but has no way to delete it.
  const agent = {
    email: `agent-customers-${RUN}@example.test`,
    password: "agent-password-1",
    name: "Ada Agent",
  };
  const created = await page.request.post("/api/v1/users", {
    data: { ...agent, role: "agent" },
    headers: { "X-CSRF-Token": token },
  });
  expect(created.status()).toBe(201);
  const agentContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const agentPage = await agentContext.newPage();
  await signIn(agentPage, agent.email, agent.password);
  await agentPage.goto(`/accounts/${doomed.id}`);
  await expect(agentPage.getByRole("heading", { level: 1, name: doomed.name })).toBeVisible();
  await expect(agentPage.getByRole("button", { name: "More actions for this account" })).toHaveCount(0);

  // The admin deletes it.
  await page.goto(`/accounts/${doomed.id}`);
  await page.getByRole("button", { name: "More actions for this account" }).click();
  await page.getByRole("menuitem", { name: "Delete account…" }).click();
  const confirm = page.getByRole("dialog", { name: `Delete ${doomed.name}?` });
  await expect(confirm.getByRole("button", { name: "Keep it" })).toBeFocused();
  await confirm.getByRole("button", { name: "Delete account" }).click();
  await expect(page).toHaveURL(/\/accounts(\?.*)?$/);
  await expect(page.getByTestId("live-region")).toHaveText(`Account deleted: ${doomed.name}. Customers`);
  await expect(
    page.getByRole("table", { name: "Accounts" }).getByRole("link", { name: doomed.name }),
  ).toHaveCount(0);

  // The agent's open page learns of it live.
  await expect(agentPage.getByText("This account was deleted")).toBeVisible();
  await agentContext.close();
});
