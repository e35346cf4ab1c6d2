import type { Locator, Page } from "@playwright/test";

/** The reindex and rollback pages' tables, as an operator finds them. */
export const checkpoint = (page: Page, name: string): Locator => page.getByRole("table", { name: "Checkpoints" }).locator(`tr[data-checkpoint="${name}"]`);
export const versionsTable = (page: Page) => page.getByRole("table", { name: "Versions" });
export const historyRows = (page: Page) => page.getByRole("table", { name: "Alias history" }).locator("tbody tr");
