import { expect, type Page } from "@playwright/test";
import { E2E_ADMIN } from "../playwright.config";

export { E2E_ADMIN };
export const PASSWORD = "e2e-user-password-456";
export const OPERATOR = { email: "operator@e2e.test", name: "Olivia Operator", role: "operator" as const };
export const VIEWER = { email: "viewer@e2e.test", name: "Victor Viewer", role: "viewer" as const };
export const stateFile = (role: "admin" | "operator" | "viewer") => `e2e/.auth/${role}.json`;

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Nothing of an exception (names, stack frames) may reach the browser. */
export async function expectNoRawError(page: Page) {
  const text = await page.locator("body").innerText();
  expect(text).not.toMatch(/\bat .+\(.+:\d+:\d+\)|TypeError|ReferenceError|ECONNREFUSED|stack/i);
}
