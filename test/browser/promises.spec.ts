import type { APIRequestContext, Page } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "./credentials.ts";
import { expect as baseExpect, test } from "./fixtures.ts";

// The server under test shares a busy machine: give screens a little longer than the default.
const expect = baseExpect.configure({ timeout: 15_000 });

// Unique per run, so this run's records are told apart from earlier ones.
const RUN = Date.now().toString(36);

async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
}

async function csrfOf(request: APIRequestContext): Promise<string> {
  const me = await request.get("/api/v1/me");
  expect(me.status()).toBe(200);
  return ((await me.json()) as { csrfToken: string }).csrfToken;
}

async function send<T>(
  request: APIRequestContext,
  token: string,
  method: "post" | "patch",
  path: string,
  data: unknown,
): Promise<T> {
  const response = await request[method](path, { data, headers: { "X-CSRF-Token": token } });
  expect(response.status(), await response.text()).toBe(method === "post" ? 201 : 200);
  return (await response.json()) as T;
}

/**
 * A zone where "in an hour" is still today, so the promise lands in My day whatever the hour
 * the test runs at (My day is the signed-in user's calendar day).
 */
function zoneWithRoomToday(): string {
  for (const zone of ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Tokyo", "America/New_York"]) {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-GB", {
        timeZone: zone,
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      })
        .formatToParts(new Date())
        .map((part) => [part.type, part.value]),
    );
    if (Number(parts.hour) * 60 + Number(parts.minute) < 22 * 60) return zone;
  }
  return "UTC";
}

test("promises: made from the case screen in two clicks, seen in My day, kept by a reply", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page);
  const token = await csrfOf(page.request);
  await send(page.request, token, "patch", "/api/v1/me", { timeZone: zoneWithRoomToday() });

  // ---- a customer in Sydney with a case ----
  const account = await send<{ id: string }>(page.request, token, "post", "/api/v1/accounts", {
    name: `Koala Freight ${RUN}`,
    timeZone: "Australia/Sydney",
  });
  const contact = await send<{ id: string }>(page.request, token, "post", "/api/v1/contacts", {
    accountId: account.id,
    name: "Mia Collins",
    email: `mia.${RUN}@koala.example`,
    timeZone: "Australia/Sydney",
  });
  const subject = `Tracking page shows the wrong depot ${RUN}`;
  const created = await send<{ id: string; number: string }>(page.request, token, "post", "/api/v1/cases", {
    subject,
    contactId: contact.id,
    description: "Since Monday every parcel shows Brisbane.",
  });

  // ---- two clicks: Promise, then "In an hour" (in the customer's zone) ----
  await page.goto(`/cases/${created.id}`);
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  const activities = page.getByTestId("case-activities");
  await expect(activities).toContainText("No promises, calls or tasks yet.");
  await page.getByRole("button", { name: "Promise" }).click();
  await expect(page.getByRole("menu")).toContainText("their time: Australia/Sydney");
  const pick = page.getByTestId("promise-inAnHour");
  await expect(pick).toContainText("theirs");
  await pick.click();
  await expect(page.getByTestId("live-region")).toHaveText(/^Promise made: get back to Mia by/);
  const promiseRow = activities.getByRole("listitem").filter({ hasText: "Get back to Mia" });
  await expect(promiseRow).toContainText("Promised");
  await expect(promiseRow).toContainText("theirs");

  // ---- My day lists it, due later today ----
  await page.getByRole("link", { name: "My day" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My day" })).toBeVisible();
  const later = page.getByTestId("my-day-later");
  const planned = later.getByRole("listitem").filter({ hasText: "Get back to Mia" });
  await expect(planned).toBeVisible();
  await expect(planned).toContainText(created.number);
  await expect(planned.getByRole("button", { name: /^Mark kept: / })).toBeVisible();
  await page.screenshot({ path: "test-results/promises-my-day.png", fullPage: true });

  // ---- keep it by replying on the case ----
  await planned.getByRole("link", { name: created.number }).click();
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  const reply = page.getByRole("textbox", { name: "Reply to the customer" });
  await reply.fill("Hi Mia, the depot mapping is fixed: parcels now show Sydney again.");
  await page.getByTestId("composer-send").click();
  await expect(page.getByTestId("live-region")).toHaveText("Reply sent");
  await expect(promiseRow).toContainText("Kept");
  await expect(promiseRow).toContainText("kept by reply");

  // ---- and My day counts it as done today ----
  await page.getByRole("link", { name: "My day" }).click();
  const done = page.getByTestId("my-day-done");
  await expect(done.getByRole("listitem").filter({ hasText: "Get back to Mia" })).toContainText("Kept");
  await expect(later.getByRole("listitem").filter({ hasText: "Get back to Mia" })).toHaveCount(0);

  // ---- a second promise, marked kept by hand from My day ----
  await page.goto(`/cases/${created.id}`);
  await page.getByRole("button", { name: "Promise" }).click();
  await page.getByTestId("promise-inAnHour").click();
  await expect(page.getByTestId("live-region")).toHaveText(/^Promise made/);
  await page.getByRole("link", { name: "My day" }).click();
  const second = page
    .getByTestId("my-day-later")
    .getByRole("listitem")
    .filter({ hasText: "Get back to Mia" });
  await second.getByRole("button", { name: /^Mark kept: / }).click();
  await expect(page.getByTestId("live-region")).toHaveText("Promise kept: Get back to Mia");
  await expect(done.getByRole("listitem").filter({ hasText: "Get back to Mia" })).toHaveCount(2);

  // ---- the account timeline tells the story ----
  await page.goto(`/accounts/${account.id}`);
  await page.getByRole("tab", { name: "Timeline" }).click();
  const timeline = page.getByTestId("account-timeline");
  await expect(timeline.locator("[data-event-type='promise.kept']")).toHaveCount(2);
  await expect(timeline.locator("[data-event-type='promise.kept']").first()).toContainText("Promise kept");
  await expect(timeline.locator("[data-event-type='activity.created']").first()).toContainText(
    "Promise made",
  );
});
