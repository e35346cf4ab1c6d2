import { expect, test as setup } from "@playwright/test";
import { E2E_ADMIN, OPERATOR, PASSWORD, signIn, stateFile, VIEWER } from "./fixtures";

setup("admin signs in and creates an operator and a viewer; each signs in", async ({ page, browser }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await page.context().storageState({ path: stateFile("admin") });

  await page.goto("/settings/users");
  for (const user of [OPERATOR, VIEWER]) {
    const form = page.getByRole("form", { name: "Create user" });
    await form.getByLabel("E-mail").fill(user.email);
    await form.getByLabel("Name").fill(user.name);
    await form.getByLabel("Role").selectOption(user.role);
    await form.getByLabel("Initial password").fill(PASSWORD);
    await form.getByRole("button", { name: "Create user" }).click();
    await expect(page.getByText(`Created ${user.email} as ${user.role}.`)).toBeVisible();
    await expect(page.getByRole("table").getByText(user.email, { exact: true })).toBeVisible();
  }

  for (const user of [OPERATOR, VIEWER]) {
    const context = await browser.newContext();
    const other = await context.newPage();
    await signIn(other, user.email, PASSWORD);
    await expect(other.getByRole("heading", { name: "Overview" })).toBeVisible();
    await expect(other.getByText(`Role: ${user.role}`)).toBeVisible();
    await context.storageState({ path: stateFile(user.role) });
    await context.close();
  }
});
