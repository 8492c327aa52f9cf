import { ADMIN_EMAIL, ADMIN_PASSWORD } from "./credentials.ts";
import { expect, test } from "./fixtures.ts";

const AREAS = [
  "Inbox",
  "My day",
  "Customers",
  "Activities",
  "Feedback & surveys",
  "Health & retention",
  "Knowledge",
  "Reports",
  "Admin",
];

test("signing in shows the shell; signing out returns to sign-in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  await expect(page.getByLabel("Email")).toBeFocused();

  // A wrong password: the problem+json detail is shown and we stay on the sign-in page.
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password", { exact: true }).fill("not-the-password");
  const [refused] = await Promise.all([
    page.waitForResponse((response) => response.url().endsWith("/api/v1/auth/login")),
    page.getByLabel("Password", { exact: true }).press("Enter"),
  ]);
  expect(refused.status()).toBe(401);
  const problem = (await refused.json()) as { detail: string };
  const error = page.getByTestId("sign-in-error");
  await expect(error).toBeVisible();
  await expect(error).toHaveAttribute("role", "alert");
  await expect(error).toHaveText(problem.detail);
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByLabel("Password", { exact: true })).toBeFocused();

  // The right one: the shell, its navigation and who is signed in.
  await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/cases$/);
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Views" })).toBeVisible();

  const nav = page.getByRole("navigation", { name: "Main" });
  for (const label of AREAS) {
    await expect(nav.getByRole("link", { name: label, exact: true })).toBeVisible();
  }
  await expect(nav.getByRole("link", { name: "Inbox", exact: true })).toHaveAttribute("aria-current", "page");

  const me = await page.request.get("/api/v1/me");
  expect(me.status()).toBe(200);
  const { user } = (await me.json()) as { user: { name: string; email: string } };
  expect(user.email).toBe(ADMIN_EMAIL);
  const header = page.getByRole("banner");
  await expect(header.getByText(user.name, { exact: true })).toBeVisible();
  await expect(header.getByPlaceholder("Search cases… ( / )")).toBeVisible();
  await expect(page.getByTestId("live-region")).toHaveAttribute("aria-live", "polite");

  await page.screenshot({ path: "test-results/shell.png" });

  // Sign out from the account menu.
  await header.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  await expect(page.getByText("You have signed out.")).toBeVisible();
  expect((await page.request.get("/api/v1/me")).status()).toBe(401);

  // Signed out means signed out: the shell is no longer reachable.
  await page.goto("/cases");
  await expect(page).toHaveURL(/\/login\?next=%2Fcases$/);
});

test("after signing in, the user lands on the page they asked for", async ({ page }) => {
  await page.goto("/reports");
  await expect(page).toHaveURL(/\/login\?next=%2Freports$/);
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByLabel("Password", { exact: true }).press("Enter");
  await expect(page).toHaveURL(/\/reports$/);
  await expect(page.getByRole("heading", { level: 1, name: "Reports & dashboards" })).toBeVisible();
});

test.describe("a session that ends behind the app's back", () => {
  // Whatever the open page asks for after the cookie is gone answers 401: that is the point here.
  test.use({ expectedFailedLoads: [{ status: 401, url: /\/api\/v1\// }] });

  test("when the session ends, the user is sent to sign in and brought back afterwards", async ({ page }) => {
    await page.goto("/my-day");
    await page.getByLabel("Email").fill(ADMIN_EMAIL);
    await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByLabel("Password", { exact: true }).press("Enter");
    await expect(page.getByRole("heading", { level: 1, name: "My day" })).toBeVisible();

    // The session disappears behind the app's back; coming back to the tab re-checks it.
    await page.context().clearCookies();
    // A string, because the test's tsconfig has no DOM types.
    await page.evaluate("window.dispatchEvent(new Event('visibilitychange'))");
    await expect(page).toHaveURL(/\/login\?next=%2Fmy-day$/);
    await expect(page.getByText("Your session has ended.", { exact: false })).toBeVisible();

    await page.getByLabel("Email").fill(ADMIN_EMAIL);
    await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByLabel("Password", { exact: true }).press("Enter");
    await expect(page).toHaveURL(/\/my-day$/);
  });
});

test("keyboard shortcuts: g i, g d, / and ?", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();

  await page.keyboard.press("g");
  await page.keyboard.press("d");
  await expect(page).toHaveURL(/\/my-day$/);
  await expect(page.getByRole("heading", { level: 1, name: "My day" })).toBeVisible();
  await expect(page.getByTestId("live-region")).toHaveText("My day");

  // A modifier never triggers a single-key action.
  await page.keyboard.press("Control+g");
  await page.keyboard.press("i");
  await expect(page).toHaveURL(/\/my-day$/);

  // On a page without its own search box (the Inbox has one), `/` goes to the header's.
  const search = page.getByRole("searchbox", { name: "Search" });
  await page.keyboard.press("/");
  await expect(search).toBeFocused();
  // Typing in a field is typing, not shortcuts.
  await page.keyboard.type("gi");
  await expect(search).toHaveValue("gi");
  await expect(page).toHaveURL(/\/my-day$/);
  await page.keyboard.press("Escape");
  await expect(search).not.toBeFocused();

  await page.keyboard.press("g");
  await page.keyboard.press("i");
  await expect(page).toHaveURL(/\/cases$/);

  await page.keyboard.press("?");
  const sheet = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(sheet).toBeVisible();
  await expect(sheet.getByText("Show keyboard shortcuts")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(sheet).toBeHidden();
});

test("on a phone the navigation folds into a menu button", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();

  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Customers", exact: true })).not.toBeInViewport();
  await page.getByRole("button", { name: "Open navigation" }).click();
  await expect(nav.getByRole("link", { name: "Customers", exact: true })).toBeInViewport();
  await page.screenshot({ path: "test-results/shell-phone-nav.png" });
  await nav.getByRole("link", { name: "Customers", exact: true }).click();
  await expect(page).toHaveURL(/\/accounts$/);
  await expect(nav.getByRole("link", { name: "Customers", exact: true })).not.toBeInViewport();
  await page.screenshot({ path: "test-results/shell-phone.png" });
});

test("agents do not see the Admin area", async ({ page }) => {
  // Set up an agent through the API, as an admin would.
  const login = await page.request.post("/api/v1/auth/login", {
    data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
  });
  expect(login.status()).toBe(200);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const agent = {
    email: `agent-${Date.now()}@example.test`,
    password: "agent-password-1",
    name: "Sam Rivera",
  };
  const created = await page.request.post("/api/v1/users", {
    data: { ...agent, role: "agent" },
    headers: { "X-CSRF-Token": csrfToken },
  });
  expect(created.status()).toBe(201);
  await page.request.post("/api/v1/auth/logout", { headers: { "X-CSRF-Token": csrfToken } });

  await page.goto("/login");
  await page.getByLabel("Email").fill(agent.email);
  await page.getByLabel("Password", { exact: true }).fill(agent.password);
  await page.getByLabel("Password", { exact: true }).press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
  await expect(page.getByRole("banner").getByText(agent.name, { exact: true })).toBeVisible();

  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Reports", exact: true })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);

  await page.goto("/admin");
  await expect(page.getByRole("heading", { level: 1, name: "Admin" })).toBeVisible();
  await expect(page.getByText("Admin is for administrators and managers")).toBeVisible();
});
