import { expect, test } from "@playwright/test";
import { E2E_ADMIN, expectNoRawError, OPERATOR, PASSWORD, signIn, stateFile, VIEWER } from "./fixtures";

test.describe("as a viewer", () => {
  test.use({ storageState: stateFile("viewer") });

  test("sees no management pages, and the server refuses every mutation", async ({ page, baseURL }) => {
    const headers = { origin: baseURL! }; // as the console's own pages send them, so the refusal is the role's
    await page.goto("/settings");
    await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
    await expect(page.getByRole("link", { name: /Users/ })).toHaveCount(0);
    await page.goto("/settings/users");
    await expect(page.getByText("Your role does not allow this page.")).toBeVisible();

    // The same requests an admin's browser may send: refused by the server, not just hidden.
    const create = await page.request.post("/api/v1/users", { data: { email: "sneaky@e2e.test", name: "Sneaky", role: "admin", password: "a-long-password-1" }, headers });
    expect(create.status()).toBe(403);
    const me = await (await page.request.get("/api/v1/me")).json();
    const promote = await page.request.patch(`/api/v1/users/${me.data.id}`, { data: { role: "admin" }, headers });
    expect(promote.status()).toBe(403);
    const token = await page.request.post("/api/v1/tokens", { data: { name: "mine" }, headers });
    expect(token.status()).toBe(403);
    expect((await (await page.request.get("/api/v1/me")).json()).data.role).toBe("viewer");
  });
});

test.describe("as an operator", () => {
  test.use({ storageState: stateFile("operator") });

  test("cannot manage users, but may manage their own tokens", async ({ page, baseURL }) => {
    const create = await page.request.post("/api/v1/users", { data: { email: "op-made@e2e.test", name: "X", role: "viewer", password: "a-long-password-1" }, headers: { origin: baseURL! } });
    expect(create.status()).toBe(403);
    await page.goto("/settings/users");
    await expect(page.getByText("Your role does not allow this page.")).toBeVisible();
    await page.goto("/settings/tokens");
    await expect(page.getByRole("form", { name: "Create API token" })).toBeVisible();
  });
});

test.describe("as an admin", () => {
  test.use({ storageState: stateFile("admin") });

  test("invalid form fields show field errors and nothing is created", async ({ page }) => {
    await page.goto("/settings/users");
    const form = page.getByRole("form", { name: "Create user" });
    await form.getByLabel("E-mail").fill("not an email");
    await form.getByLabel("Initial password").fill("short");
    await form.getByRole("button", { name: "Create user" }).click();
    await expect(form.getByText("Enter a valid e-mail address.")).toBeVisible();
    await expect(form.getByText("Enter a name.")).toBeVisible();
    await expect(form.getByText("Use at least 12 characters.")).toBeVisible();
    await form.getByLabel("E-mail").fill(OPERATOR.email);
    await form.getByLabel("Name").fill("Duplicate");
    await form.getByLabel("Initial password").fill(PASSWORD);
    await form.getByRole("button", { name: "Create user" }).click();
    await expect(form.getByText("A user with this e-mail already exists.").first()).toBeVisible();
    await expectNoRawError(page);
  });

  test("creates an API token shown once, which works as a Bearer token until revoked", async ({ page, playwright }) => {
    await page.goto("/settings/tokens");
    await page.getByLabel("Name").fill("ci-reindex");
    await page.getByRole("button", { name: "Create token" }).click();
    const secret = (await page.getByTestId("new-token").innerText()).trim();
    expect(secret).toMatch(/^sv_/);

    const api = await playwright.request.newContext({ baseURL: page.url().replace(/\/settings.*/, "") });
    const me = await api.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });
    expect(me.status()).toBe(200);
    expect((await me.json()).data).toMatchObject({ email: E2E_ADMIN.email, type: "token", role: "admin" });

    await page.reload();
    await expect(page.getByTestId("new-token")).toHaveCount(0);
    await page.getByRole("button", { name: "Revoke ci-reindex" }).click();
    const confirm = page.getByRole("alertdialog", { name: "Revoke token “ci-reindex”?" });
    await expect(confirm).toContainText("stops working at once");
    await confirm.getByRole("button", { name: "Revoke token" }).click();
    await expect(page.getByRole("row", { name: /ci-reindex/ }).getByText("revoked")).toBeVisible();
    expect((await api.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(401);
    await api.dispose();
  });

  test("the audit page shows each action with actor and outcome, filters, and details", async ({ page }) => {
    // By action: the specs before this one leave far more than a page of entries on the shared console.
    await page.goto("/audit?action=user.create");
    await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
    const rows = page.getByRole("row");
    await expect(rows.filter({ hasText: E2E_ADMIN.email }).filter({ hasText: "user.create" }).filter({ hasText: "success" }).first()).toBeVisible();
    await expect(rows.filter({ hasText: VIEWER.email }).filter({ hasText: "user.create" }).filter({ hasText: "denied" }).first()).toBeVisible();
    await expect(rows.filter({ hasText: OPERATOR.email }).filter({ hasText: "user.create" }).filter({ hasText: "denied" }).first()).toBeVisible();
    await page.goto(`/audit?action=auth.sign_in&actor=${encodeURIComponent(VIEWER.email)}`);
    await expect(rows.filter({ hasText: VIEWER.email }).filter({ hasText: "auth.sign_in" }).filter({ hasText: "success" }).first()).toBeVisible();
    await page.goto("/audit");

    await page.getByLabel("Actor e-mail").fill(VIEWER.email);
    await page.getByLabel("Outcome").selectOption("denied");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/outcome=denied/);
    const filtered = page.getByRole("row").filter({ hasText: VIEWER.email });
    await expect(filtered.first()).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: "success" })).toHaveCount(0);

    await filtered.filter({ hasText: "user.update" }).first().getByRole("button").click();
    const drawer = page.getByRole("dialog");
    await expect(drawer.getByText("missing permission user.manage")).toBeVisible();
    await expect(drawer.getByText("Correlation id")).toBeVisible();
    await page.keyboard.press("Escape");

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const csv = await (await download).createReadStream();
    const text = await new Response(csv as unknown as ReadableStream).text();
    expect(text.split("\r\n")[0]).toContain("actor_email");
    expect(text).toContain(VIEWER.email);
    expect(text).not.toContain(",success,");
  });
});

test("a wrong password gets one generic message, the same as an unknown e-mail", async ({ page }) => {
  for (const email of [VIEWER.email, "nobody@e2e.test"]) {
    await page.goto("/login");
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill("definitely-wrong");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Invalid e-mail or password.")).toBeVisible();
    await expectNoRawError(page);
  }
  await page.getByLabel("E-mail").fill("");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter your e-mail address.")).toBeVisible();
});

test("every section of the sidebar opens a page; signing out returns to sign-in", async ({ browser }) => {
  // A session of its own: signing out ends it on the server, and the saved viewer session must live on.
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, VIEWER.email, PASSWORD);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" }).first();
  for (const name of ["Collections", "Operations", "Runs", "Documents", "Backups", "Alerts", "Health", "Audit", "Settings", "Overview"]) {
    await nav.getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoRawError(page);
  }
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/audit");
  await expect(page).toHaveURL(/\/login/);
  await context.close();
});

test("an operator changes their own password; the wrong current password is a field error", async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile("operator") });
  const page = await context.newPage();
  await page.goto("/settings");
  const form = page.getByRole("form", { name: "Change password" });
  await form.getByLabel("Current password").fill("not-my-password");
  await form.getByLabel("New password", { exact: true }).fill("operator-new-password");
  await form.getByLabel("Repeat new password").fill("operator-new-password");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByText("The current password is wrong.")).toBeVisible();
  await form.getByLabel("Current password").fill(PASSWORD);
  await form.getByLabel("New password", { exact: true }).fill("operator-new-password");
  await form.getByLabel("Repeat new password").fill("operator-new-password");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByText("Your password was changed.")).toBeVisible();
  await context.close();

  const fresh = await browser.newPage();
  await signIn(fresh, OPERATOR.email, "operator-new-password");
  await expect(fresh.getByRole("heading", { name: "Overview" })).toBeVisible();
  await fresh.close();
});
