import type { APIRequestContext, Page } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "./credentials.ts";
import { expect, test } from "./fixtures.ts";

const RUN = Date.now().toString(36);

async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
}

async function send<T>(
  request: APIRequestContext,
  token: string,
  method: "post" | "put",
  path: string,
  data: unknown,
) {
  const response = await request[method](path, { data, headers: { "X-CSRF-Token": token } });
  expect(response.ok(), await response.text()).toBe(true);
  return (await response.json()) as T;
}

test("an announcement goes to a segment, and a contact unsubscribes from its link", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  await signIn(page);
  const me = (await (await page.request.get("/api/v1/me")).json()) as { csrfToken: string };
  const industry = `Ballooning ${RUN}`;
  const contacts: { id: string; email: string; name: string }[] = [];
  for (const [i, n] of [2, 1].entries()) {
    const account = await send<{ id: string }>(page.request, me.csrfToken, "post", "/api/v1/accounts", {
      name: `Balloon Co ${i} ${RUN}`,
      industry,
    });
    for (let j = 0; j < n; j++) {
      contacts.push(
        await send(page.request, me.csrfToken, "post", "/api/v1/contacts", {
          accountId: account.id,
          name: `Phileas Fogg ${i}${j}`,
          email: `fogg.${i}${j}.${RUN}@balloon.test`,
        }),
      );
    }
  }
  // One of them said no before.
  await send(
    page.request,
    me.csrfToken,
    "put",
    `/api/v1/contacts/${contacts[2]!.id}/communication-preferences`,
    {
      announcements: false,
    },
  );

  // Compose it.
  await page.getByRole("link", { name: "Announcements" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Announcements" })).toBeVisible();
  await page.getByTestId("new-announcement").click();
  await expect(page.getByRole("heading", { level: 1, name: "New announcement" })).toBeVisible();
  await page.getByTestId("announcement-subject").fill(`Balloon rides for {{account}} ${RUN}`);
  await page.getByTestId("announcement-body").fill("From May we offer **balloon rides** to every customer.");
  await expect(page.getByTestId("preview-subject")).toHaveText(`Balloon rides for Acme Corporation ${RUN}`);
  const industries = page.getByRole("combobox", { name: "Industries" });
  await industries.fill(industry);
  await industries.press("Enter");
  await expect(page.getByTestId("audience-count")).toContainText(
    "Will reach 2 contacts at 1 account · 1 opted out",
  );

  // Send it.
  await page.getByTestId("send-now").click();
  await page.getByTestId("confirm-send").click();
  await expect(
    page.getByRole("heading", { level: 1, name: `Balloon rides for {{account}} ${RUN}` }),
  ).toBeVisible();
  await expect(page.getByTestId("announcement-status")).toHaveText("Sent", { timeout: 20_000 });
  await expect(page.getByTestId("recipients")).toContainText("Phileas Fogg 00");
  await expect(page.getByTestId("recipients")).toContainText("Opted out");

  // The mail, from the development mailbox: a personal unsubscribe link.
  const email = contacts[0]!.email;
  let text = "";
  await expect
    .poll(async () => {
      const list = (await (
        await page.request.get(`/api/v1/dev-mailbox?to=${encodeURIComponent(email)}&purpose=announcement`)
      ).json()) as { items: { id: string; text: string; headers: Record<string, string> }[] };
      text = list.items[0]?.text ?? "";
      expect(list.items[0]?.headers["List-Unsubscribe-Post"] ?? "").toBe("List-Unsubscribe=One-Click");
      return text;
    })
    .toContain("Hello Phileas Fogg 00,");
  const link = /Unsubscribe from announcements: (\S+)/.exec(text)?.[1];
  expect(link).toBeTruthy();

  // The customer opens it, not signed in: confirm, then unsubscribed.
  const customer = await browser.newContext();
  const tab = await customer.newPage();
  await tab.goto(link!);
  await expect(tab.getByRole("heading", { level: 1, name: "Unsubscribe from announcements?" })).toBeVisible();
  await tab.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(tab.getByRole("heading", { level: 1, name: "You are unsubscribed" })).toBeVisible();
  await expect(tab.getByRole("button", { name: "Resubscribe" })).toBeVisible();
  await customer.close();

  // Staff see it on the contact page.
  await page.goto(`/contacts/${contacts[0]!.id}`);
  await expect(page.getByRole("heading", { level: 1, name: "Phileas Fogg 00" })).toBeVisible();
  await expect(page.getByTestId("announcements-state")).toContainText(
    "Opted out by the link in an announcement",
  );
  await expect(page.getByRole("switch", { name: "Receives announcements" })).not.toBeChecked();
});
