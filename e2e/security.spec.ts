import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { PASSWORD, signIn, stateFile, VIEWER } from "./fixtures";

/** A page on another port of the same host: same-site for the browser (so Lax cookies go along), but not same-origin. */
async function evilSite(html: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(html));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

test.describe("cross-site requests with an admin's cookie", () => {
  test.use({ storageState: stateFile("admin") });

  test("a page on another origin cannot create a user with the admin's cookie; the console's own pages can", async ({ page, baseURL }) => {
    const email = `csrf-${Date.now()}@e2e.test`;
    const body = JSON.stringify({ email, name: "Mallory", role: "admin", password: "a-long-enough-password" });
    const evil = await evilSite(`<!doctype html><script>
      const body = ${JSON.stringify(body)};
      Promise.allSettled([
        fetch(${JSON.stringify(`${baseURL}/api/v1/users`)}, { method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain" }, body }),
        fetch(${JSON.stringify(`${baseURL}/api/v1/users`)}, { method: "POST", mode: "no-cors", credentials: "include", body: new Blob([body]) }),
        fetch(${JSON.stringify(`${baseURL}/api/v1/users`)}, { method: "POST", credentials: "include", headers: { "content-type": "application/json" }, body }),
      ]).then(() => { document.title = "done"; });
    </script>`);
    try {
      const refusals: number[] = [];
      page.on("response", (r) => r.url().endsWith("/api/v1/users") && r.request().method() === "POST" && refusals.push(r.status()));
      await page.goto(evil.url);
      await expect(page).toHaveTitle("done");
      expect(refusals.length).toBeGreaterThan(0);
      for (const status of refusals) expect([403, 415]).toContain(status);
    } finally {
      await evil.close();
    }
    // The cookie is still good, and nothing was created.
    await page.goto("/settings/users");
    await expect(page.getByRole("table").getByText(email, { exact: true })).toHaveCount(0);

    // The same request from the console's own page (Chromium sends its Origin) goes through.
    const status = await page.evaluate(async (b) => (await fetch("/api/v1/users", { method: "POST", headers: { "content-type": "application/json" }, body: b })).status, body);
    expect(status).toBe(201);
    await page.reload();
    await expect(page.getByRole("table").getByText(email, { exact: true })).toBeVisible();
  });
});

test("after Sign out, a copy of the session cookie no longer works", async ({ browser, baseURL }) => {
  const mine = await browser.newContext();
  const page = await mine.newPage();
  await signIn(page, VIEWER.email, PASSWORD);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();

  const copy = await browser.newContext();
  await copy.addCookies(await mine.cookies());
  expect((await copy.request.get(`${baseURL}/api/v1/me`)).status()).toBe(200);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  expect((await copy.request.get(`${baseURL}/api/v1/me`)).status()).toBe(401);
  const stolen = await copy.newPage();
  await stolen.goto("/");
  await expect(stolen).toHaveURL(/\/login/);
  await mine.close();
  await copy.close();
});

test("after a password change, the user's other sessions end and the one that changed it stays", async ({ browser, baseURL }) => {
  // A user of its own, so the saved sessions of the shared ones live on.
  const admin = await browser.newContext({ storageState: stateFile("admin") });
  const email = `rotate-${Date.now()}@e2e.test`;
  const created = await admin.request.post(`${baseURL}/api/v1/users`, {
    data: { email, name: "Rita Rotate", role: "viewer", password: "rotate-password-1" },
    headers: { origin: baseURL! },
  });
  expect(created.status()).toBe(201);
  await admin.close();

  const laptop = await browser.newContext();
  const laptopPage = await laptop.newPage();
  await signIn(laptopPage, email, "rotate-password-1");
  await expect(laptopPage.getByRole("heading", { name: "Overview" })).toBeVisible();
  const phone = await browser.newContext();
  const phonePage = await phone.newPage();
  await signIn(phonePage, email, "rotate-password-1");
  await expect(phonePage.getByRole("heading", { name: "Overview" })).toBeVisible();

  await phonePage.goto("/settings");
  const form = phonePage.getByRole("form", { name: "Change password" });
  await form.getByLabel("Current password").fill("rotate-password-1");
  await form.getByLabel("New password", { exact: true }).fill("rotate-password-2");
  await form.getByLabel("Repeat new password").fill("rotate-password-2");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByText("Your password was changed.")).toBeVisible();

  expect((await laptop.request.get(`${baseURL}/api/v1/me`)).status()).toBe(401);
  await laptopPage.goto("/");
  await expect(laptopPage).toHaveURL(/\/login/);
  expect((await phone.request.get(`${baseURL}/api/v1/me`)).status()).toBe(200);
  await laptop.close();
  await phone.close();
});

test("a failed run shows its error's class and message, never a stack trace", async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile("viewer") });
  const page = await context.newPage();
  const res = await page.request.get("/api/v1/runs?status=failed&limit=20");
  expect(res.status()).toBe(200);
  const text = await res.text();
  expect(text).not.toMatch(/"stack"|\bat .+\(.+:\d+:\d+\)/);
  const failed = (JSON.parse(text) as { data: { runs: { id: string }[] } }).data.runs[0];
  if (failed) {
    await page.goto(`/runs/${failed.id}`);
    await expect(page.getByRole("heading", { name: "Error" })).toBeVisible();
    await expect(page.locator("body")).not.toContainText(/\bat .+\(.+:\d+:\d+\)|\.next\/server/);
  }
  await context.close();
});

test("a locked-out user is told for how long, and an admin unlocks them in Settings → Users", async ({ browser, baseURL }) => {
  const admin = await browser.newContext({ storageState: stateFile("admin") });
  const email = `locked-${Date.now()}@e2e.test`;
  const created = await admin.request.post(`${baseURL}/api/v1/users`, { data: { email, name: "Lou Locked", role: "viewer", password: "locked-password-1" }, headers: { origin: baseURL! } });
  expect(created.status()).toBe(201);

  const context = await browser.newContext();
  const page = await context.newPage();
  for (let i = 0; i < 5; i++) {
    await signIn(page, email, `wrong-password-${i}`);
    await expect(page.getByText("Invalid e-mail or password.")).toBeVisible();
  }
  await signIn(page, email, "locked-password-1");
  await expect(page.getByText(/Too many failed sign-ins from this address\. Try again in 1[45] minutes/)).toBeVisible();

  const adminPage = await admin.newPage();
  await adminPage.goto("/settings/users");
  const row = adminPage.getByRole("row", { name: new RegExp(email) });
  await expect(row.getByText("locked", { exact: true })).toBeVisible();
  adminPage.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: `Unlock ${email}` }).click();
  await expect(row.getByRole("button", { name: `Unlock ${email}` })).toHaveCount(0);

  await signIn(page, email, "locked-password-1");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await admin.close();
  await context.close();
});
