import type { APIRequestContext } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "./credentials.ts";
import { expect, test } from "./fixtures.ts";

const RUN = Date.now().toString(36);
const EMAIL = `pat.${RUN}@portal-customer.test`;

// Before signing in, the portal asks who is signed in and hears 401: the contract.
test.use({ expectedFailedLoads: [{ status: 401, url: /\/api\/v1\/portal\/me$/ }] });
// Phone first: the whole flow runs at 375 px.
test.use({ viewport: { width: 375, height: 812 } });

async function staff(request: APIRequestContext) {
  const login = await request.post("/api/v1/auth/login", {
    data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
  });
  expect(login.ok()).toBe(true);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async <T>(method: "get" | "post", path: string, data?: unknown): Promise<T> => {
    const res = await request[method](path, { data, headers: { "X-CSRF-Token": csrfToken } });
    expect(res.ok(), await res.text()).toBe(true);
    return (await res.json()) as T;
  };
}

test("a contact signs in by emailed link, raises a request, sees it and replies (375 px)", async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const call = await staff(request);
  const account = await call<{ id: string }>("post", "/api/v1/accounts", { name: `Portal Co ${RUN}` });
  await call("post", "/api/v1/contacts", { accountId: account.id, name: "Pat Portal", email: EMAIL });

  // Signed out, /portal leads to the sign-in page.
  await page.goto("/portal");
  await expect(page.getByRole("heading", { level: 1, name: "Sign in to support" })).toBeVisible();
  await page.screenshot({ path: "test-results/portal-sign-in-375.png", fullPage: true });
  await page.getByLabel("Your email address").fill(EMAIL);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();

  // The link arrives in the development mailbox.
  const mail = await call<{ items: { text: string }[] }>(
    "get",
    `/api/v1/dev-mailbox?to=${encodeURIComponent(EMAIL)}&purpose=portal.sign_in`,
  );
  const link = /https?:\/\/\S+\/portal\/sign-in\?token=\S+/.exec(mail.items[0]?.text ?? "")?.[0];
  expect(link).toBeTruthy();
  await page.goto(new URL(link!).pathname + new URL(link!).search);
  await expect(page.getByRole("heading", { level: 1, name: "Your requests" })).toBeVisible();

  // Raise a request.
  await page.getByRole("link", { name: "Ask for help" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Ask for help" })).toBeVisible();
  await page.getByLabel("What is it about?").fill(`Cannot print invoices ${RUN}`);
  await page.getByLabel("What happened?").fill("The print button does nothing since Monday.");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Cannot print invoices ${RUN}` })).toBeVisible();
  await expect(page.getByText("Received")).toBeVisible();
  const caseId = page.url().split("/").pop()!;

  // It is in the list.
  await page.getByRole("link", { name: "← Your requests" }).click();
  await expect(page.getByTestId("portal-cases").getByText(`Cannot print invoices ${RUN}`)).toBeVisible();
  await page.screenshot({ path: "test-results/portal-home-375.png", fullPage: true });

  // Support answers (with an internal note the customer must never see); the customer replies.
  await call("post", `/api/v1/cases/${caseId}/messages`, { kind: "note", body: `INTERNAL ${RUN}` });
  await call("post", `/api/v1/cases/${caseId}/messages`, {
    kind: "reply",
    body: "Which browser do you use?",
  });
  await page.getByTestId("portal-cases").getByText(`Cannot print invoices ${RUN}`).click();
  const thread = page.getByTestId("portal-thread");
  await expect(thread.getByText("Which browser do you use?")).toBeVisible();
  await expect(page.getByText(`INTERNAL ${RUN}`)).toHaveCount(0);
  await page.getByLabel("Your message").fill("Firefox on Windows.");
  await page.getByRole("button", { name: "Send reply" }).click();
  await expect(thread.getByText("Firefox on Windows.")).toBeVisible();
  await expect(page.getByLabel("Your message")).toHaveValue("");
  await page.screenshot({ path: "test-results/portal-case-375.png", fullPage: true });

  // Ask for a manager.
  await page.getByRole("button", { name: "Ask for a manager" }).click();
  await page.getByLabel("Why do you need a manager?").fill("We cannot invoice anyone.");
  await page.getByRole("dialog").getByRole("button", { name: "Ask for a manager" }).click();
  await expect(page.getByText("A manager has been told")).toBeVisible();

  // Staff see the customer's message on the case.
  const staffThread = await call<{ items: { kind: string; body: string }[] }>(
    "get",
    `/api/v1/cases/${caseId}/messages`,
  );
  expect(staffThread.items.at(-1)).toMatchObject({ kind: "customer", body: "Firefox on Windows." });
  // The page is one column at 375 px: nothing scrolls sideways.
  const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
  expect(overflow).toBeLessThanOrEqual(0);
});

test("staff log a call as a new phone case and escalate it from the case panel", async ({ page }) => {
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
  await page.getByRole("button", { name: "Log a call" }).click();
  const dialog = page.getByRole("dialog", { name: "Log a call" });
  await dialog.getByLabel("Subject").fill(`Phone: printer smokes ${RUN}`);
  await dialog.getByLabel("Duration (minutes)").fill("6");
  await dialog.getByLabel("Notes").fill("Customer says the printer smokes");
  await dialog.getByRole("button", { name: "Log call" }).click();
  await expect(page.getByRole("heading", { name: `Phone: printer smokes ${RUN}` })).toBeVisible();
  await expect(page.getByText("via Phone")).toBeVisible();
  await page.getByRole("button", { name: "Escalate to a manager…" }).click();
  await page.getByLabel("Reason").fill("Customer threatens to cancel");
  await page.getByRole("dialog").getByRole("button", { name: "Escalate" }).click();
  await expect(page.getByTestId("case-escalation")).toContainText("Customer threatens to cancel");
});
