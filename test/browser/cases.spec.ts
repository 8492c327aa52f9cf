import type { APIRequestContext, Locator, Page } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "./credentials.ts";
import { expect, test } from "./fixtures.ts";

type TCase = { id: string; number: string; subject: string; status: string; priority: string };

// Unique per run, so searches find exactly this run's records.
const RUN = Date.now().toString(36);

async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
}

/** The CSRF token of the request context's session (from `/me`, as the app gets it). */
async function csrfOf(request: APIRequestContext): Promise<string> {
  const me = await request.get("/api/v1/me");
  expect(me.status()).toBe(200);
  return ((await me.json()) as { csrfToken: string }).csrfToken;
}

async function post<T>(request: APIRequestContext, token: string, path: string, data: unknown): Promise<T> {
  const response = await request.post(path, { data, headers: { "X-CSRF-Token": token } });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as T;
}

async function patch<T>(request: APIRequestContext, token: string, path: string, data: unknown): Promise<T> {
  const response = await request.patch(path, { data, headers: { "X-CSRF-Token": token } });
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as T;
}

/** Picks an option of a searchable Mantine Select by typing part of it. */
async function choose(page: Page, label: string, typed: string, option: RegExp) {
  const input = page.getByRole("combobox", { name: label });
  await input.click();
  await input.fill(typed);
  await page.getByRole("option", { name: option }).first().click();
}

function queueRow(page: Page, subject: string): Locator {
  return page
    .getByRole("table", { name: /cases$/ })
    .getByRole("row")
    .filter({ hasText: subject });
}

/** A few cases from other customers, so the queue looks like a working day. */
async function seedQueue(request: APIRequestContext, token: string) {
  const accounts = [
    { name: `Harbor Freight Co ${RUN}`, annualRevenue: 48_000, domain: `harbor-${RUN}.example` },
    { name: `Bluebird Clinics ${RUN}`, annualRevenue: 9_500, domain: `bluebird-${RUN}.example` },
  ];
  const people = [
    [
      "Olivia Martin",
      "We were charged twice for March",
      "Two identical charges of $480 appeared on our card on 3 March.",
      "high",
      ["billing"],
    ],
    [
      "Noah Schmidt",
      "Export to CSV never finishes",
      "The export spins forever; tried Chrome and Firefox.",
      "normal",
      ["export"],
    ],
    [
      "Emma Dubois",
      "SSO sign-in loops back to the login page",
      "After the Okta redirect we land on sign-in again.",
      "urgent",
      ["sso"],
    ],
    [
      "Liam O'Brien",
      "Add three seats for new analysts",
      "Three analysts start Monday and need seats.",
      "low",
      [],
    ],
    [
      "Ava Tanaka",
      "Scheduled reports arrive at the wrong hour",
      "Reports arrive at 3am instead of 9am local time.",
      "normal",
      [],
    ],
  ] as const;
  const made = [];
  for (const [index, [name, subject, description, priority, tags]] of people.entries()) {
    const account = await post<{ id: string }>(
      request,
      token,
      "/api/v1/accounts",
      accounts[index % accounts.length],
    );
    const contact = await post<{ id: string }>(request, token, "/api/v1/contacts", {
      accountId: account.id,
      name,
      email: `${name.split(" ")[0]?.toLowerCase().replace("'", "")}.${RUN}@example.test`,
    });
    made.push(
      await post<TCase>(request, token, "/api/v1/cases", {
        subject,
        description,
        contactId: contact.id,
        priority,
        channel: index % 2 ? "email" : "portal",
        tags,
      }),
    );
  }
  await patch(request, token, `/api/v1/cases/${made[1]?.id}`, { status: "waiting_on_customer" });
  // Owners: a teammate and the admin, so the queue shows who has what.
  const teammate = await post<{ id: string }>(request, token, "/api/v1/users", {
    email: `priya.${RUN}@example.test`,
    password: "teammate-password-1",
    name: "Priya Natarajan",
    role: "agent",
  });
  const me = ((await (await request.get("/api/v1/me")).json()) as { user: { id: string } }).user;
  await patch(request, token, `/api/v1/cases/${made[0]?.id}`, { ownerId: teammate.id });
  await patch(request, token, `/api/v1/cases/${made[3]?.id}`, { ownerId: teammate.id });
  await patch(request, token, `/api/v1/cases/${made[4]?.id}`, { ownerId: me.id });
}

test("cases: create from the UI, work it in the queue and the case screen, see live changes", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page);
  const token = await csrfOf(page.request);

  // ---- a customer, through the API ----
  const account = await post<{ id: string; name: string }>(page.request, token, "/api/v1/accounts", {
    name: `Vantage Robotics ${RUN}`,
    domain: `vantage-${RUN}.example`,
    annualRevenue: 90_000,
  });
  const contact = await post<{ id: string; name: string }>(page.request, token, "/api/v1/contacts", {
    accountId: account.id,
    name: "Dana Whitfield",
    email: `dana.${RUN}@vantage.example`,
  });
  await seedQueue(page.request, token);

  // ---- the queue: views, and the way to a new case ----
  await expect(page).toHaveURL(/\/cases$/);
  await expect(page.getByRole("navigation", { name: "Views" })).toBeVisible();
  await expect(page.getByTestId("view-open")).toHaveAttribute("aria-current", "page");
  await page.getByRole("link", { name: "New case" }).click();
  await expect(page).toHaveURL(/\/cases\/new$/);
  await expect(page.getByRole("heading", { level: 1, name: "New case" })).toBeVisible();

  // ---- new case ----
  const subject = `Robot arm stops mid-cycle ${RUN}`;
  await page.getByRole("textbox", { name: "Subject" }).fill(subject);
  await page
    .getByRole("textbox", { name: "Description" })
    .fill("Since the 4.2 firmware update the arm halts at step 7 with error E42. Production line 2 is down.");
  await choose(page, "Account", "Vantage", new RegExp(`Vantage Robotics ${RUN}`));
  await choose(page, "Contact", "Dana", /Dana Whitfield/);
  await page.getByText("High", { exact: true }).click();
  await page.getByRole("textbox", { name: "Product" }).fill("Arm X200");
  await page.getByRole("combobox", { name: "Tags" }).fill("firmware");
  await page.getByRole("combobox", { name: "Tags" }).press("Enter");
  await page.getByRole("button", { name: "Create case" }).click();

  // ---- the case screen ----
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  const caseId = page.url().split("/").pop() as string;
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  const number = (await page.getByTestId("case-number").textContent()) ?? "";
  expect(number).toMatch(/^CS-\d{6,}$/);
  await expect(page.getByTestId("live-region")).toContainText(`Case ${number} created`);
  await expect(page.getByTestId("case-status")).toHaveAccessibleName(/Status: New/);
  await expect(page.getByTestId("case-priority")).toHaveAccessibleName(/Priority: High/);
  const thread = page.getByRole("list", { name: "Conversation" });
  await expect(thread).toContainText("halts at step 7");
  await page.getByRole("tab", { name: "Customer" }).click();
  await expect(page.getByRole("link", { name: "Dana Whitfield" })).toHaveAttribute(
    "href",
    `/contacts/${contact.id}`,
  );
  await expect(page.getByRole("link", { name: account.name })).toHaveAttribute(
    "href",
    `/accounts/${account.id}`,
  );

  // ---- Esc: back to the queue, where the new case is at the top ----
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/\/cases$/);
  const row = queueRow(page, subject);
  await expect(row).toBeVisible();
  await expect(row).toContainText(number);
  await expect(row).toContainText("Dana Whitfield");
  await expect(row).toContainText(account.name);
  await expect(row).toContainText("firmware");
  await expect(row).toHaveAttribute("data-active", "true");
  // No SLA policy applies: a dash, the reason on hover; the column header explains the colours.
  await expect(row.getByRole("timer", { name: "No SLA applies" })).toHaveText(/—/);
  await page.getByRole("columnheader", { name: "Next breach" }).getByText("Next breach").hover();
  await expect(page.getByRole("tooltip", { name: /soonest SLA target/ })).toBeVisible();
  await expect(page.getByTestId("case-row-dots").first()).toBeVisible();
  await page.mouse.move(0, 0);
  await expect(page.getByRole("tooltip")).toHaveCount(0);
  await page.screenshot({ path: "test-results/queue.png" });

  // Search is server-side full text; `/` focuses it.
  await page.evaluate("document.activeElement?.blur()");
  await page.keyboard.press("/");
  const search = page.getByRole("searchbox", { name: "Find cases" });
  await expect(search).toBeFocused();
  await search.fill(`firmware E42 ${RUN}`);
  await expect(page).toHaveURL(/q=firmware/);
  await expect(page.getByRole("table", { name: /cases$/ }).getByRole("row")).toHaveCount(2); // header + 1
  await search.fill("");
  await expect(page).toHaveURL(/\/cases$/);

  // ---- keyboard: j moves to the first row, Enter opens it ----
  await page.evaluate("document.activeElement?.blur()");
  await page.keyboard.press("j");
  await expect(row.getByRole("link", { name: new RegExp(subject) })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/cases/${caseId}$`));
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();

  // ---- a reply: r focuses the composer, Ctrl+Enter sends ----
  await page.keyboard.press("r");
  const reply = page.getByRole("textbox", { name: "Reply to the customer" });
  await expect(reply).toBeFocused();
  await page.keyboard.type(
    "Thanks Dana, we are on it. Here is the checklist; could you send the controller log?",
  );
  // A file goes with the reply (multipart to /messages) and can be downloaded from the thread.
  await page.locator("input[type=file]").setInputFiles({
    name: "recovery-checklist.txt",
    mimeType: "text/plain",
    buffer: Buffer.from("1. Power-cycle the controller\n2. Roll back to 4.1.3\n"),
  });
  await expect(page.getByRole("list", { name: "Files to send" })).toContainText("recovery-checklist.txt");
  await reply.press("Control+Enter");
  await expect(page.getByTestId("live-region")).toHaveText("Reply sent");
  const replyCard = thread.getByRole("article", { name: /^Reply from You/ });
  await expect(replyCard).toContainText("could you send the controller log");
  const download = replyCard.getByRole("link", { name: /recovery-checklist\.txt/ });
  await expect(download).toHaveAttribute("href", /^\/api\/v1\/attachments\/[0-9a-f-]{36}$/);
  const file = await page.request.get((await download.getAttribute("href")) as string);
  expect(await file.text()).toContain("Roll back to 4.1.3");
  await expect(reply).toHaveValue("");
  // The first reply opens a new case.
  await expect(page.getByTestId("case-status")).toHaveAccessibleName(/Status: Open/);

  // ---- an internal note: n switches the composer to Note, which is labelled Internal ----
  await page.evaluate("document.activeElement?.blur()");
  await page.keyboard.press("n");
  const note = page.getByRole("textbox", { name: "Internal note" });
  await expect(note).toBeFocused();
  await expect(page.getByText("Internal · only your team sees notes")).toBeVisible();
  await note.fill("Firmware 4.2 known issue KB-311: roll back to 4.1.3 as a workaround.");
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByTestId("live-region")).toHaveText("Note added");
  const noteCard = thread.getByRole("article", { name: /^Internal from You/ });
  await expect(noteCard).toContainText("KB-311");
  await expect(noteCard.getByText("Internal", { exact: true })).toBeVisible();

  // ---- drafts survive a reload ----
  await page.getByRole("tab", { name: /Reply/ }).click();
  await reply.fill("Draft that must not be lost");
  await page.waitForTimeout(400);
  await page.reload();
  await expect(page.getByRole("textbox", { name: "Reply to the customer" })).toHaveValue(
    "Draft that must not be lost",
  );

  // ---- collision guard: the customer writes while the agent types ----
  await post(page.request, token, `/api/v1/cases/${caseId}/messages`, {
    kind: "customer",
    body: "Log attached in the portal. Also line 3 just stopped too!",
  });
  const banner = page.getByText(/1 new update since you started writing/);
  await expect(banner).toBeVisible();
  await page.getByRole("textbox", { name: "Reply to the customer" }).fill("Rolling back line 2 now.");
  await page.getByTestId("composer-send").click();
  const guard = page.getByRole("dialog", { name: "New activity on this case" });
  await expect(guard).toBeVisible();
  await guard.getByRole("button", { name: "Send anyway" }).click();
  await expect(page.getByTestId("live-region")).toHaveText("Reply sent");
  await expect(banner).toBeHidden();
  await expect(thread.getByRole("article", { name: /^Customer from Dana Whitfield/ }).last()).toContainText(
    "line 3 just stopped",
  );

  // ---- a change made elsewhere shows without a reload ----
  await patch(page.request, token, `/api/v1/cases/${caseId}`, { priority: "urgent" });
  await expect(page.getByTestId("case-priority")).toHaveAccessibleName(/Priority: Urgent/);
  await expect(thread).toContainText(/changed priority\s*High\s*Urgent/);

  // ---- status: only allowed moves are offered; e resolves ----
  await page.getByTestId("case-status").click();
  const statusList = page.getByRole("listbox", { name: "Status" });
  await expect(statusList.getByRole("option", { name: "Waiting on customer" })).toBeVisible();
  await expect(statusList.getByRole("option", { name: "New" })).toHaveCount(0);
  await page.keyboard.press("Escape");
  await expect(statusList).toBeHidden();
  await page.evaluate("document.activeElement?.blur()");
  await page.keyboard.press("e");
  await expect(page.getByTestId("case-status")).toHaveAccessibleName(/Status: Resolved/);
  await expect(page.getByTestId("live-region")).toHaveText(`${number} resolved`);

  // ---- history: who changed what, old → new ----
  await page.getByRole("tab", { name: "History" }).click();
  const history = page.getByTestId("case-history");
  await expect(history).toContainText("You created the case");
  await expect(history.getByRole("listitem").filter({ hasText: "changed status" }).last()).toContainText(
    /Open\s*Resolved/,
  );
  await expect(history).toContainText(/changed priority/);
  await page.mouse.move(0, 0);
  await expect(page.getByRole("tooltip")).toHaveCount(0);
  await page.screenshot({ path: "test-results/case.png" });

  // ---- back in the queue, with the list as it was ----
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/\/cases$/);
  // Resolved cases leave "All open" and are found under Resolved.
  await expect(queueRow(page, subject)).toHaveCount(0);
  await page.getByTestId("view-resolved").click();
  await expect(queueRow(page, subject)).toBeVisible();
});

test("queue: select with x, bulk-assign to me, save a view", async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page);
  const token = await csrfOf(page.request);
  const made: TCase[] = [];
  for (const subject of [`Bulk one ${RUN}`, `Bulk two ${RUN}`]) {
    made.push(await post<TCase>(page.request, token, "/api/v1/cases", { subject, priority: "low" }));
  }

  await page.getByTestId("view-unassigned").click();
  await expect(page).toHaveURL(/view=unassigned/);
  await page.getByRole("searchbox", { name: "Find cases" }).fill(`Bulk ${RUN}`);
  const table = page.getByRole("table", { name: /cases$/ });
  await expect(table.getByRole("row")).toHaveCount(3);

  await page.evaluate("document.activeElement?.blur()");
  await page.keyboard.press("j");
  await page.keyboard.press("x");
  await page.keyboard.press("j");
  await page.keyboard.press("x");
  const bulk = page.getByRole("region", { name: "Bulk actions" });
  await expect(bulk).toContainText("2 selected");
  await bulk.getByRole("button", { name: "Assign to me" }).click();
  await expect(page.getByTestId("live-region")).toHaveText("Assigned to you: 2 cases");
  // Assigned cases leave "Unassigned".
  await expect(table.getByRole("row")).toHaveCount(1);
  for (const item of made) {
    const response = await page.request.get(`/api/v1/cases/${item.id}`);
    expect(((await response.json()) as { ownerId: string | null }).ownerId).not.toBeNull();
  }

  // Saved views live in this browser.
  await page.getByTestId("view-mine").click();
  await page.getByRole("button", { name: "Priority" }).click();
  await page.getByRole("option", { name: "Low" }).click();
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/priority=low/);
  await page.getByRole("button", { name: "Save view" }).click();
  await page.getByRole("textbox", { name: "Name this view" }).fill("My low ones");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const saved = page.getByRole("navigation", { name: "Views" }).getByRole("link", { name: "My low ones" });
  await expect(saved).toHaveAttribute("aria-current", "page");
  await page.reload();
  await expect(saved).toBeVisible();
  await page.getByRole("searchbox", { name: "Find cases" }).fill(`Bulk ${RUN}`);
  await expect(table.getByRole("row")).toHaveCount(3);
});

test("case screen on a phone: one column, details behind a button", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  const token = await csrfOf(page.request);
  const item = await post<TCase>(page.request, token, "/api/v1/cases", {
    subject: `Phone check ${RUN}`,
    description: "Looks fine on a phone?",
  });
  await page.goto(`/cases/${item.id}`);
  await expect(page.getByRole("heading", { level: 1, name: `Phone check ${RUN}` })).toBeVisible();
  await expect(page.getByRole("complementary", { name: "Case details" })).toBeHidden();
  await page.screenshot({ path: "test-results/case-phone.png" });
  await page.getByRole("button", { name: "Details" }).click();
  const drawer = page.getByRole("dialog", { name: `${item.number} details` });
  await expect(drawer.getByRole("tab", { name: "Properties" })).toBeVisible();
  await drawer.getByRole("tab", { name: "History" }).click();
  await expect(drawer.getByTestId("case-history")).toContainText("You created the case");
});
