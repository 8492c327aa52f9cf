import type { APIRequestContext, Page } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "./credentials.ts";
import { expect, test } from "./fixtures.ts";

const RUN = Date.now().toString(36);

async function signIn(page: Page, email = ADMIN_EMAIL, password = ADMIN_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
}

async function csrfOf(request: APIRequestContext): Promise<string> {
  return ((await (await request.get("/api/v1/me")).json()) as { csrfToken: string }).csrfToken;
}

async function post<T>(request: APIRequestContext, token: string, path: string, data: unknown) {
  const response = await request.post(path, { data, headers: { "X-CSRF-Token": token } });
  expect(response.ok(), await response.text()).toBe(true);
  return (await response.json()) as T;
}

test("a manager declares an incident, links the suggested case, tells customers and resolves it all", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);

  // ---- the admin sets the stage: a manager, a status component, a customer with an open case ----
  await signIn(page);
  const token = await csrfOf(page.request);
  const manager = { email: `mina.${RUN}@example.test`, password: "manager-password-1", name: "Mina Manager" };
  await post(page.request, token, "/api/v1/users", { ...manager, role: "manager" });
  await post(page.request, token, "/api/v1/status-components", { name: `Exports ${RUN}` });
  const account = await post<{ id: string; name: string }>(page.request, token, "/api/v1/accounts", {
    name: `Lumen Freight ${RUN}`,
    country: "GB",
  });
  const contact = await post<{ id: string }>(page.request, token, "/api/v1/contacts", {
    accountId: account.id,
    name: "Theo Lumen",
    email: `theo.${RUN}@lumen.example`,
  });
  const kase = await post<{ id: string; number: string }>(page.request, token, "/api/v1/cases", {
    subject: `Exports stuck at 0% ${RUN}`,
    contactId: contact.id,
    priority: "high",
  });

  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const mgr = await context.newPage();
  await signIn(mgr, manager.email, manager.password);

  // ---- declare, affecting the one account (searched by name) ----
  await mgr
    .getByRole("link", { name: /Incidents/ })
    .first()
    .click();
  await expect(mgr.getByRole("heading", { level: 1, name: "Incidents" })).toBeVisible();
  await mgr.getByRole("link", { name: "Declare an incident" }).first().click();
  await expect(mgr.getByRole("heading", { level: 1, name: "Declare an incident" })).toBeVisible();
  const title = `Exports fail for everyone ${RUN}`;
  await mgr.getByRole("textbox", { name: "Title" }).fill(title);
  await mgr.getByRole("combobox", { name: "Components" }).click();
  await mgr.getByRole("option", { name: `Exports ${RUN}` }).click();
  await mgr.keyboard.press("Escape");
  await mgr.getByText("A segment of accounts").click();
  await expect(mgr.getByTestId("segment-summary")).toHaveText("Affects: every account");
  const accounts = mgr.getByRole("combobox", { name: "Named accounts" });
  await accounts.fill(account.name);
  await mgr.getByRole("option", { name: account.name }).click();
  await mgr.keyboard.press("Escape");
  await expect(mgr.getByTestId("segment-summary")).toHaveText("Affects: 1 named account");
  await expect(mgr.getByTestId("audience-preview")).toHaveText("Will tell 1 contact at 1 account.");
  await mgr.getByRole("textbox", { name: "First update" }).fill("Exports are failing; we are on it.");
  await mgr.getByRole("button", { name: "Declare incident" }).click();

  // ---- the incident page: the case is suggested; link it in one click ----
  await expect(mgr.getByRole("heading", { level: 1, name: new RegExp(title) })).toBeVisible();
  const number = (await mgr.getByRole("heading", { level: 1 }).textContent())?.split(" · ")[0] ?? "";
  expect(number).toMatch(/^INC-\d{6}$/);
  await expect(mgr.getByTestId("incident-timeline")).toContainText("Exports are failing; we are on it.");
  const suggested = mgr.getByTestId("suggested-cases");
  await expect(suggested).toContainText(kase.number);
  await suggested.getByRole("button", { name: `Link ${kase.number}` }).click();
  await expect(mgr.getByTestId("linked-cases")).toContainText(kase.number);
  await expect(mgr.getByTestId("live-region")).toHaveText(`${kase.number} linked to ${number}`);

  // ---- a notified update ----
  const composer = mgr.getByTestId("incident-composer");
  await composer.getByRole("combobox", { name: "Status" }).click();
  await mgr.getByRole("option", { name: "Identified" }).click();
  await composer.getByRole("textbox", { name: "Message" }).fill("We found the cause: a stuck export queue.");
  await expect(composer.getByRole("switch", { name: "Tell affected customers" })).toBeChecked();
  await expect(composer.getByTestId("audience-preview")).toHaveText("Will tell 1 contact at 1 account.");
  await composer.getByRole("button", { name: "Post update" }).click();
  await expect(mgr.getByTestId("incident-timeline")).toContainText(
    "We found the cause: a stuck export queue.",
  );
  await expect(mgr.getByTestId("incident-status").first()).toHaveText("Identified");

  // ---- the case shows the banner ----
  await mgr.goto(`/cases/${kase.id}`);
  const banner = mgr.getByTestId("case-incident-linked");
  await expect(banner).toContainText(`Linked to ${number} · ${title} · Identified`);
  await banner.getByRole("link", { name: number }).click();
  await expect(mgr.getByRole("heading", { level: 1, name: new RegExp(title) })).toBeVisible();

  // ---- the public status page, signed out ----
  const visitor = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const status = await visitor.newPage();
  await status.goto("/status");
  await expect(status.getByText(title)).toBeVisible();
  await expect(status.getByText("We found the cause: a stuck export queue.")).toBeVisible();
  await visitor.close();

  // ---- resolve, and the linked case with it ----
  await composer.getByRole("combobox", { name: "Status" }).click();
  await mgr.getByRole("option", { name: "Resolved" }).click();
  await composer.getByRole("textbox", { name: "Message" }).fill("Exports work again. Sorry for the trouble.");
  await composer.getByRole("checkbox", { name: /Also resolve the 1 linked case/ }).check();
  await composer.getByRole("button", { name: "Post and resolve" }).click();
  await expect(mgr.getByTestId("incident-status").first()).toHaveText("Resolved");
  await expect(mgr.getByTestId("linked-cases")).toContainText("Resolved");
  const after = (await (await page.request.get(`/api/v1/cases/${kase.id}`)).json()) as {
    statusCategory: string;
  };
  expect(after.statusCategory).toBe("resolved");

  // The list: it is no longer open; the resolved tab has it.
  await mgr.getByRole("link", { name: "← Incidents" }).click();
  await expect(
    mgr.getByRole("table", { name: "Open incidents" }).or(mgr.getByText("No open incidents")),
  ).toBeVisible();
  await expect(mgr.getByText(title)).toHaveCount(0);
  await mgr.getByRole("tab", { name: "Resolved" }).click();
  await expect(mgr.getByRole("table", { name: "Resolved incidents" })).toContainText(title);
  await context.close();
});
