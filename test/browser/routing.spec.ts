import type { APIRequestContext, Page } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "./credentials.ts";
import { expect, test } from "./fixtures.ts";

// Unique per run: the rule matches only this run's word, so other specs' cases are not routed
// by it whatever order the specs run in; it is deleted at the end.
const RUN = Date.now().toString(36);
const WORD = `chargeback${RUN}`;
const RULE = `Chargebacks ${RUN}`;
const TEAM = `Payments ${RUN}`;
const QUEUE = `Chargebacks queue ${RUN}`;

async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
}

async function session(request: APIRequestContext) {
  const me = await request.get("/api/v1/me");
  expect(me.status()).toBe(200);
  return (await me.json()) as { csrfToken: string; user: { id: string; name: string } };
}

async function send<T>(
  request: APIRequestContext,
  token: string,
  method: "post" | "put" | "delete",
  path: string,
  data?: unknown,
) {
  const response = await request[method](path, { data, headers: { "X-CSRF-Token": token } });
  expect(response.ok(), await response.text()).toBe(true);
  return (response.status() === 204 ? null : await response.json()) as T;
}

/** Picks an option of a Mantine Select. */
async function pick(page: Page, label: string, option: string | RegExp) {
  await page.getByRole("combobox", { name: label, exact: true }).click({ force: true });
  await page.getByRole("option", { name: option }).first().click();
}

test("a rule made in the editor routes a new case, which shows why", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page);
  const { csrfToken: token, user: me } = await session(page.request);

  // A team (the admin in it) and its queue, assigning least loaded.
  const team = await send<{ id: string }>(page.request, token, "post", "/api/v1/teams", {
    name: TEAM,
    memberIds: [me.id],
  });
  const queue = await send<{ id: string }>(page.request, token, "post", "/api/v1/queues", {
    name: QUEUE,
    teamId: team.id,
  });
  await send(page.request, token, "put", `/api/v1/queues/${queue.id}/assignment`, {
    strategy: "least_loaded",
  });

  // Going available in the header's menu: the queue may give me cases.
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("menuitem", { name: /^Available/ }).click();
  await expect(page.getByRole("menuitem", { name: /^Available \(current\)/ })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: /Available\. Account menu/ })).toBeVisible();

  try {
    // ---- the rule, in the editor ----
    await page.goto("/admin/routing-rules");
    await expect(page.getByRole("heading", { level: 1, name: "Routing rules" })).toBeVisible();
    await page
      .getByRole("navigation", { name: "Admin" })
      .getByRole("link", { name: "Queue assignment" })
      .click();
    const queueRow = page.getByTestId("queue-assignment-row").filter({ hasText: QUEUE });
    await expect(queueRow.getByRole("combobox", { name: `How ${QUEUE} assigns` })).toHaveValue(
      "Least loaded",
    );
    await page
      .getByRole("navigation", { name: "Admin" })
      .getByRole("link", { name: "Routing rules" })
      .click();
    await page.getByRole("link", { name: "New rule" }).first().click();
    await expect(page.getByRole("heading", { level: 1, name: "New routing rule" })).toBeVisible();
    await page.getByRole("textbox", { name: "Name", exact: true }).fill(RULE);
    const words = page.getByRole("combobox", { name: "Words in the subject or description" });
    await words.fill(WORD);
    await words.press("Enter");
    await pick(page, "Queue", QUEUE);
    await pick(page, "Set priority", "High");

    // The editor's tester runs the list with this unsaved rule in it.
    await page.getByRole("textbox", { name: "Subject" }).fill(`Unexpected ${WORD} on invoice 88`);
    await page.getByRole("button", { name: "Test" }).click();
    const result = page.getByTestId("rule-test-result");
    await expect(result).toContainText(RULE);
    await expect(result).toContainText(`keyword: ${WORD} → queue '${QUEUE}', priority high`);

    await page.getByRole("button", { name: "Create rule" }).click();
    await expect(page).toHaveURL(/\/admin\/routing-rules$/);
    const row = page.getByTestId("routing-rule-row").filter({ hasText: RULE });
    await expect(row).toContainText(`Words ${WORD}`);
    await expect(row).toContainText(`Queue ${QUEUE} · priority High`);
    await expect(row.getByRole("switch", { name: `${RULE} active` })).toBeChecked();

    // ---- a new case with the word is routed, and says why ----
    await page.getByRole("link", { name: "Inbox" }).click();
    await page.getByRole("link", { name: "New case" }).click();
    const subject = `Customer reports a ${WORD} they do not recognise`;
    await page.getByRole("textbox", { name: "Subject" }).fill(subject);
    await page.getByRole("button", { name: "Create case" }).click();
    await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
    const routing = page.getByTestId("case-routing");
    await expect(routing).toContainText(`'${RULE}': keyword: ${WORD} → queue '${QUEUE}', priority high`);
    await expect(routing).toContainText(`assigned to ${me.name} (least loaded`);

    // ---- the load board shows the case against my capacity ----
    await page.goto("/admin/agent-load");
    const card = page.getByTestId("agent-load").filter({ hasText: me.name });
    await expect(card).toContainText("Taking cases");
    await expect(card).toContainText(/[1-9]\d* of \d+ open/);
  } finally {
    const rules = (await (await page.request.get("/api/v1/routing-rules")).json()) as {
      items: { id: string; name: string }[];
    };
    for (const rule of rules.items.filter((r) => r.name === RULE)) {
      await send(page.request, token, "delete", `/api/v1/routing-rules/${rule.id}`);
    }
    await send(page.request, token, "put", `/api/v1/queues/${queue.id}/assignment`, { strategy: "manual" });
  }
});
