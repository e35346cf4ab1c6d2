import { expect, test } from "@playwright/test";
import { expectNoRawError, OPERATOR, stateFile, VIEWER } from "./fixtures";

test.describe("as an operator", () => {
  test.use({ storageState: stateFile("operator") });

  test("creates a token with a narrower role, cannot pick a higher one, and revokes it after confirming", async ({ page, browser, playwright, baseURL }) => {
    const admin = await browser.newContext({ storageState: stateFile("admin") });
    expect((await admin.request.post(`${baseURL}/api/v1/tokens`, { data: { name: "admins-own" }, headers: { origin: baseURL! } })).status()).toBe(201);
    await admin.close();

    await page.goto("/settings/tokens");
    await expect(page.getByRole("cell", { name: "admins-own" })).toHaveCount(0); // only the operator's own tokens
    const form = page.getByRole("form", { name: "Create API token" });
    const role = form.getByLabel("Role");
    await expect(role).toHaveValue("operator");
    await expect(role.locator("option")).toHaveText(["viewer", "operator"]);
    await form.getByLabel("Name").fill("op-dashboard");
    await role.selectOption("viewer");
    await form.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByText("Token “op-dashboard” created with role viewer")).toBeVisible();
    const secret = (await page.getByTestId("new-token").innerText()).trim();

    const api = await playwright.request.newContext({ baseURL });
    const bearer = { authorization: `Bearer ${secret}` };
    expect((await (await api.get("/api/v1/me", { headers: bearer })).json()).data).toMatchObject({ email: OPERATOR.email, type: "token", role: "viewer" });
    // The viewer-role token cannot start work its operator creator could.
    expect((await api.post("/api/v1/tokens", { headers: bearer, data: { name: "from-token" } })).status()).toBe(403);

    // The same form posted with a higher role than the operator's is refused on the field.
    const escalate = await page.request.post("/api/v1/tokens", { data: { name: "op-admin", role: "admin" }, headers: { origin: baseURL! } });
    expect(escalate.status()).toBe(400);
    expect((await escalate.json()).error.fieldErrors.role).toEqual(["A token can have at most your own role (operator)."]);

    const row = page.getByRole("row", { name: /op-dashboard/ });
    await expect(row.getByText("viewer", { exact: true })).toBeVisible();
    await expect(page.getByRole("row", { name: /op-admin/ })).toHaveCount(0);

    // Keyboard: the dialog names the token, Cancel has the focus, Escape closes it and nothing changes.
    await row.getByRole("button", { name: "Revoke op-dashboard" }).focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("alertdialog", { name: "Revoke token “op-dashboard”?" });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(row.getByRole("button", { name: "Revoke op-dashboard" })).toBeFocused();
    await expect(row.getByText("active")).toBeVisible();
    expect((await api.get("/api/v1/me", { headers: bearer })).status()).toBe(200);

    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    await expect(dialog.getByRole("button", { name: "Revoke token" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(row.getByText("revoked")).toBeVisible();
    expect((await api.get("/api/v1/me", { headers: bearer })).status()).toBe(401);
    await api.dispose();
    await expectNoRawError(page);
  });
});

test.describe("as an admin", () => {
  test.use({ storageState: stateFile("admin") });

  test("disabling a user asks first in a dialog that names them", async ({ page, baseURL }) => {
    const email = `disable-me-${Date.now()}@e2e.test`;
    const created = await page.request.post("/api/v1/users", { data: { email, name: "Dana Disposable", role: "viewer", password: "a-long-enough-password" }, headers: { origin: baseURL! } });
    expect(created.status()).toBe(201);
    await page.goto("/settings/users");
    const row = page.getByRole("row", { name: new RegExp(email) });
    await row.getByRole("button", { name: `Disable ${email}` }).click();
    const dialog = page.getByRole("alertdialog", { name: `Disable ${email}?` });
    await expect(dialog).toContainText("signed out everywhere");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    await page.reload();
    await expect(row.getByText("active")).toBeVisible();

    await row.getByRole("button", { name: `Disable ${email}` }).click();
    await dialog.getByRole("button", { name: "Disable user" }).click();
    await expect(row.getByText("disabled")).toBeVisible();
    await expect(row.getByRole("button", { name: `Enable ${email}` })).toBeVisible();
  });

  test("the audit log pages forward and back, keeping its filter, and says how many match", async ({ browser, page, baseURL }) => {
    // 60 refused token creations by the viewer: more than one page of 50 for one filter.
    const viewer = await browser.newContext({ storageState: stateFile("viewer") });
    for (let i = 0; i < 60; i++) expect((await viewer.request.post("/api/v1/tokens", { data: { name: `probe-${i}` }, headers: { origin: baseURL! } })).status()).toBe(403);
    await viewer.close();

    await page.goto(`/audit?${new URLSearchParams({ actor: VIEWER.email, action: "token.create", outcome: "denied" })}`);
    const total = page.getByTestId("audit-total");
    await expect(total).toHaveText(/^\d+ entries match$/);
    const matching = Number((await total.innerText()).split(" ")[0]);
    expect(matching).toBeGreaterThanOrEqual(60);
    const rows = page.getByRole("table").getByRole("row").filter({ hasText: "token.create" });
    await expect(rows).toHaveCount(50);
    const firstPage = await rows.allInnerTexts();
    const pages = page.getByRole("navigation", { name: "Pages" });
    await expect(pages.getByRole("link", { name: "Previous" })).toHaveCount(0);

    await pages.getByRole("link", { name: "Next" }).click();
    await expect(page).toHaveURL(/cursor=/);
    await expect(page).toHaveURL(/outcome=denied/);
    await expect(rows).toHaveCount(matching - 50);
    await expect(page.getByRole("table").getByRole("row").filter({ hasText: "success" })).toHaveCount(0);
    await expect(total).toHaveText(`${matching} entries match`);
    await expect(pages.getByRole("link", { name: "Next" })).toHaveCount(0);

    await pages.getByRole("link", { name: "Previous" }).click();
    await expect(page).toHaveURL(/before=/);
    await expect(page).toHaveURL(/action=token.create/);
    await expect(rows).toHaveCount(50);
    expect(await rows.allInnerTexts()).toEqual(firstPage);
    await expect(pages.getByRole("link", { name: "Previous" })).toHaveCount(0);
    await expect(pages.getByRole("link", { name: "Next" })).toBeVisible();
  });

  test("a method a REST route does not serve gets a JSON 405 with Allow", async ({ page }) => {
    const res = await page.request.put("/api/v1/collections", { data: {} });
    expect(res.status()).toBe(405);
    expect(res.headers()["allow"]).toBe("GET, POST, HEAD, OPTIONS");
    expect(await res.json()).toEqual({ error: { code: "method_not_allowed", message: "PUT is not supported on /api/v1/collections: use GET or POST." } });
    const options = await page.request.fetch("/api/v1/tokens/00000000-0000-0000-0000-000000000000", { method: "OPTIONS" });
    expect([options.status(), options.headers()["allow"]]).toEqual([204, "DELETE, OPTIONS"]);
  });
});
