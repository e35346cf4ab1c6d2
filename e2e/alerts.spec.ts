import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { verifyWebhookSignature } from "../lib/alerts/signature";
import { expectNoRawError, stateFile } from "./fixtures";

test.describe.configure({ mode: "serial" });

type Post = { body: string; timestamp: string; signature: string };

/** A loopback webhook receiver, as a customer's would be: it keeps what it got, raw. */
async function startReceiver() {
  const posts: Post[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      posts.push({ body: Buffer.concat(chunks).toString("utf8"), timestamp: String(req.headers["x-stevedore-timestamp"] ?? ""), signature: String(req.headers["x-stevedore-signature"] ?? "") });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, posts, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test("an admin adds a signed webhook channel and sends a test, adds a rule that fires, and an operator acknowledges it with a reason; the signed link needs no session; disabling the rule resolves it", async ({ browser }) => {
  const receiver = await startReceiver();
  const suffix = Math.random().toString(36).slice(2, 8);
  const admin = await (await browser.newContext({ storageState: stateFile("admin") })).newPage();

  await admin.goto("/alerts/channels");
  const add = admin.getByRole("form", { name: "Add channel" });
  await add.getByLabel("Name").fill(`e2e hook ${suffix}`);
  await add.getByLabel("Type").selectOption("webhook");
  await add.getByLabel("Addresses (comma-separated) or URL").fill(receiver.url);
  await add.getByRole("button", { name: "Add channel" }).click();
  const added = add.getByRole("status");
  await expect(added).toContainText("Its signing secret (shown once):");
  const secret = /shown once\): ([0-9a-f]{64})/.exec((await added.textContent()) ?? "")![1]!;

  await admin.reload();
  await admin.getByRole("form", { name: `Send test to e2e hook ${suffix}` }).getByRole("button", { name: "Send test" }).click();
  await expect(admin.getByRole("form", { name: `Send test to e2e hook ${suffix}` }).getByRole("status")).toContainText("Test delivered");
  expect(receiver.posts).toHaveLength(1);
  expect(verifyWebhookSignature(secret, receiver.posts[0]!.timestamp, receiver.posts[0]!.signature, receiver.posts[0]!.body)).toEqual({ ok: true });
  await admin.reload();
  await expect(admin.getByRole("table", { name: "Delivery log" }).getByRole("row").filter({ hasText: `e2e hook ${suffix}` }).first()).toContainText("test");

  // A rule whose condition holds at once: runs waiting ≥ 0.
  await admin.goto("/alerts/rules");
  const rule = admin.getByRole("form", { name: "Add rule" });
  await rule.getByLabel("Name", { exact: true }).fill(`e2e always ${suffix}`);
  await rule.getByLabel("Source", { exact: true }).selectOption("runs_waiting");
  await rule.getByLabel("Operator", { exact: true }).selectOption("gte");
  await rule.getByLabel("Threshold", { exact: true }).fill("0");
  await rule.getByLabel("Severity", { exact: true }).selectOption("critical");
  await rule.getByLabel("Channels", { exact: true }).selectOption({ label: `e2e hook ${suffix} (webhook)` });
  await rule.getByLabel(/^Description/).fill("{{value}} runs wait ({{rule}})");
  await rule.getByRole("button", { name: "Add rule" }).click();
  await expect(rule.getByRole("status")).toContainText(`Rule "e2e always ${suffix}" added.`);

  await expect.poll(() => receiver.posts.filter((p) => JSON.parse(p.body).kind === "firing").length, { timeout: 30_000 }).toBe(1);
  const firing = receiver.posts.find((p) => JSON.parse(p.body).kind === "firing")!;
  expect(verifyWebhookSignature(secret, firing.timestamp, firing.signature, firing.body)).toEqual({ ok: true });
  const alertId = JSON.parse(firing.body).alert.id as string;
  expect(JSON.parse(firing.body).alert.ackUrl).toContain(`/alerts/${alertId}/ack?token=`);

  const operator = await (await browser.newContext({ storageState: stateFile("operator") })).newPage();
  await operator.goto("/alerts");
  const firingCard = operator.locator('[aria-label="Firing alerts"]');
  const row = firingCard.locator(`tr[data-alert-id="${alertId}"]`);
  await expect(row).toContainText(`e2e always ${suffix}`);
  await row.getByRole("form", { name: `Acknowledge e2e always ${suffix}` }).getByLabel("Reason").fill("looking at the executor");
  await row.getByRole("button", { name: "Acknowledge" }).click();
  // The action re-renders the page: the alert leaves Firing for Acknowledged.
  await expect(row).toHaveCount(0, { timeout: 15_000 });
  const acked = operator.locator('[aria-label="Acknowledged alerts"]').locator(`tr[data-alert-id="${alertId}"]`);
  await expect(acked).toContainText("operator@e2e.test");
  await expect(acked).toContainText("looking at the executor");
  await expectNoRawError(operator);

  // The link in the message works without a session: it asks first, then answers (here: already acknowledged).
  const anonymous = await (await browser.newContext()).newPage();
  const ackUrl = new URL(JSON.parse(firing.body).alert.ackUrl as string);
  await anonymous.goto(`${ackUrl.pathname}${ackUrl.search}`);
  await expect(anonymous.getByRole("heading", { name: "Acknowledge this alert?" })).toBeVisible();
  await anonymous.getByLabel("Reason").fill("from the pager");
  await anonymous.getByRole("button", { name: "Acknowledge" }).click();
  await expect(anonymous.getByRole("heading", { name: "Not acknowledged" })).toBeVisible();
  await expect(anonymous.getByText("Already acknowledged by operator@e2e.test.")).toBeVisible();
  await anonymous.goto(`${ackUrl.pathname}?token=${encodeURIComponent(ackUrl.searchParams.get("token")!.replace(/.$/, (c) => (c === "A" ? "B" : "A")))}`);
  await anonymous.getByRole("button", { name: "Acknowledge" }).click();
  await expect(anonymous.getByText("This link is not valid.")).toBeVisible();

  // Disabling the rule ends its alert quietly, so it does not fire again for the specs after this one.
  await admin.goto("/alerts/rules");
  await admin.getByRole("form", { name: `Disable e2e always ${suffix}` }).getByRole("button", { name: "Disable" }).click();
  await expect(admin.getByRole("form", { name: `Enable e2e always ${suffix}` })).toBeVisible();
  await expect.poll(async () => {
    await operator.reload();
    return operator.locator('[aria-label="Resolved alerts"]').locator(`tr[data-alert-id="${alertId}"]`).count();
  }, { timeout: 30_000 }).toBe(1);
  expect(receiver.posts.filter((p) => JSON.parse(p.body).kind === "firing")).toHaveLength(1);
  await receiver.close();
});
