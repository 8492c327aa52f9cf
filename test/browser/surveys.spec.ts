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

async function post<T>(request: APIRequestContext, token: string, path: string, data: unknown) {
  const response = await request.post(path, { data, headers: { "X-CSRF-Token": token } });
  expect(response.ok(), await response.text()).toBe(true);
  return (await response.json()) as T;
}

test("a customer answers a survey from the emailed link, once, and adds a comment", async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  await signIn(page);
  const me = (await (await page.request.get("/api/v1/me")).json()) as { csrfToken: string };
  const account = await post<{ id: string }>(page.request, me.csrfToken, "/api/v1/accounts", {
    name: `Survey Co ${RUN}`,
  });
  const email = `ada.${RUN}@survey.test`;
  const contact = await post<{ id: string }>(page.request, me.csrfToken, "/api/v1/contacts", {
    accountId: account.id,
    name: "Ada Survey",
    email,
  });
  const survey = await post<{ id: string; status: string }>(page.request, me.csrfToken, "/api/v1/surveys", {
    type: "csat",
    contactId: contact.id,
  });
  expect(survey.status).toBe("sent");

  // The email, from the development mailbox: one link per score.
  let text = "";
  await expect
    .poll(async () => {
      const list = (await (
        await page.request.get(`/api/v1/dev-mailbox?to=${encodeURIComponent(email)}&purpose=survey.csat`)
      ).json()) as { items: { id: string }[] };
      if (list.items.length === 0) return "";
      const mail = (await (await page.request.get(`/api/v1/dev-mailbox/${list.items[0]!.id}`)).json()) as {
        text: string;
      };
      text = mail.text;
      return text;
    })
    .toContain("5: ");
  const link = /^4: (\S+)$/m.exec(text)?.[1];
  expect(link).toBeTruthy();

  // The customer is not signed in: a fresh browser context.
  const customer = await browser.newContext();
  const tab = await customer.newPage();
  await tab.goto(link!);
  await expect(tab.getByRole("heading", { level: 1, name: "Thank you for your answer" })).toBeVisible();
  await expect(tab.getByRole("status")).toContainText("You answered 4");
  await tab.getByLabel(/Anything you would like to add/).fill("Quick answer, but I had to ask twice.");
  await tab.getByRole("button", { name: "Send comment" }).click();
  await expect(tab.getByRole("heading", { level: 1, name: "Thank you for your comment" })).toBeVisible();

  // The link worked once.
  const other = /^1: (\S+)$/m.exec(text)![1]!;
  const again = await tab.goto(other);
  expect(again?.status()).toBe(409);
  await expect(
    tab.getByRole("heading", { level: 1, name: "You have already answered this survey" }),
  ).toBeVisible();
  await customer.close();

  const read = (await (await page.request.get(`/api/v1/surveys/${survey.id}`)).json()) as {
    status: string;
    score: number;
    comment: string;
  };
  expect(read).toMatchObject({
    status: "answered",
    score: 4,
    comment: "Quick answer, but I had to ask twice.",
  });

  // Staff see it among the survey answers and can make it a feedback item.
  await page.goto("/feedback/surveys");
  const row = page.getByRole("row").filter({ hasText: "Ada Survey" });
  await expect(row).toContainText("Quick answer, but I had to ask twice.");
  await row.getByRole("button", { name: "Make feedback item" }).click();
  await page.getByRole("textbox", { name: "Title" }).fill(`Answers take two tries ${RUN}`);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(row).toContainText("On the board");
  await page.getByRole("tab", { name: "Board" }).click();
  await expect(page.getByTestId("feedback-board")).toContainText(`Answers take two tries ${RUN}`);

  // And the satisfaction report counts the answer.
  await page.goto("/reports");
  await expect(page.getByTestId("satisfaction-csat")).toContainText("n = ");
});
