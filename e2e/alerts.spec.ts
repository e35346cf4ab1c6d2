import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { SMTPServer } from "smtp-server";
import { verifyWebhookSignature } from "../lib/alerts/signature";
import { E2E_COPIES_ROOT, E2E_SMTP_PORT } from "../playwright.config";
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

/** The SMTP server the console mails to (STEVEDORE_SMTP_URL in playwright.config.ts): a real socket, every message kept raw. */
async function startSmtp() {
  const mails: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push(Buffer.concat(chunks).toString("utf8"));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(E2E_SMTP_PORT, "127.0.0.1", () => resolve());
  });
  return { mails, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A mail's text as written: quoted-printable soft breaks and escapes undone. */
const decoded = (raw: string) => raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));

test("an email and a webhook channel, a rule and a 2-level policy: a dead letter pages, the email arrives, level 2 after its delay, its repeats stop when the link in the email acknowledges, fixing the file recovers and notifies once", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const smtp = await startSmtp();
  const receiver = await startReceiver();
  const suffix = Math.random().toString(36).slice(2, 8);
  const folder = path.join(E2E_COPIES_ROOT, `alerts-${suffix}`);
  try {
    const admin = await (await browser.newContext({ storageState: stateFile("admin") })).newPage();
    const origin = { origin: baseURL! };

    // The condition, caused for real: a collection whose one file is empty, so indexing parks it as a dead letter.
    const collection = `paged-${suffix}`;
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, "berths.md"), "");
    const created = await admin.request.post("/api/v1/collections", { data: { name: collection, source: { kind: "directory", name: "notes", path: folder } }, headers: origin });
    expect(created.status()).toBe(201);
    const { collectionId, operationId } = (await created.json()).data as { collectionId: string; operationId: string };
    await expect.poll(async () => (await (await admin.request.get(`/api/v1/operations/${operationId}`)).json()).data.operation.status, { timeout: 60_000 }).toBe("succeeded");

    await admin.goto("/alerts/channels");
    const add = admin.getByRole("form", { name: "Add channel" });
    await add.getByLabel("Name").fill(`e2e mail ${suffix}`);
    await add.getByLabel("Type").selectOption("email");
    await add.getByLabel("Addresses (comma-separated) or URL").fill(`oncall-${suffix}@e2e.test`);
    await add.getByRole("button", { name: "Add channel" }).click();
    await expect(add.getByRole("status")).toContainText(`Channel "e2e mail ${suffix}" added.`);
    await admin.reload();
    await add.getByLabel("Name").fill(`e2e level2 ${suffix}`);
    await add.getByLabel("Type").selectOption("webhook");
    await add.getByLabel("Addresses (comma-separated) or URL").fill(receiver.url);
    await add.getByRole("button", { name: "Add channel" }).click();
    const secret = /shown once\): ([0-9a-f]{64})/.exec((await add.getByRole("status").textContent()) ?? "")![1]!;

    // Level 1: the email at once; level 2: the webhook 4 s later, repeated every 4 s up to 5 times until acknowledged.
    await admin.goto("/alerts/escalation-policies");
    const policy = admin.getByRole("form", { name: "Add policy" });
    await policy.getByLabel("Name").fill(`e2e on-call ${suffix}`);
    await policy.getByLabel("Level 1 channels").selectOption({ label: `e2e mail ${suffix} (email)` });
    await policy.locator('input[name="level0.delaySeconds"]').fill("0");
    await policy.getByLabel("Level 2 channels").selectOption({ label: `e2e level2 ${suffix} (webhook)` });
    await policy.locator('input[name="level1.delaySeconds"]').fill("4");
    await policy.getByRole("checkbox").check();
    await policy.getByLabel("Times to repeat").fill("5");
    await policy.getByRole("button", { name: "Add policy" }).click();
    await expect(policy.getByRole("status")).toContainText(`Policy "e2e on-call ${suffix}" added.`);
    await admin.reload();
    await expect(admin.getByRole("row").filter({ hasText: `e2e on-call ${suffix}` })).toContainText("last level 5 more times");

    // The rule's own channel is the webhook too: it hears of the firing at once and of the recovery.
    await admin.goto("/alerts/rules");
    const rule = admin.getByRole("form", { name: "Add rule" });
    await rule.getByLabel("Name", { exact: true }).fill(`e2e paged ${suffix}`);
    await rule.getByLabel("Source", { exact: true }).selectOption("dead_letters");
    await rule.getByLabel("Matcher (label=value, optional)").fill(`collection=${collection}`);
    await rule.getByLabel("Operator", { exact: true }).selectOption("gt");
    await rule.getByLabel("Threshold", { exact: true }).fill("0");
    await rule.getByLabel("Channels", { exact: true }).selectOption({ label: `e2e level2 ${suffix} (webhook)` });
    await rule.getByLabel("Escalation policy").selectOption({ label: `e2e on-call ${suffix} (2 levels)` });
    await rule.getByRole("button", { name: "Add rule" }).click();
    await expect(rule.getByRole("status")).toContainText(`Rule "e2e paged ${suffix}" added.`);

    const firings = () => receiver.posts.filter((p) => JSON.parse(p.body).kind === "firing" && JSON.parse(p.body).alert?.rule?.name === `e2e paged ${suffix}`);
    const mine = (raw: string) => raw.includes(`oncall-${suffix}@e2e.test`);
    await expect.poll(() => smtp.mails.filter(mine).length, { timeout: 15_000 }).toBe(1);
    await expect.poll(() => firings().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const firstAt = Date.now();
    const first = JSON.parse(firings()[0]!.body);
    expect(verifyWebhookSignature(secret, firings()[0]!.timestamp, firings()[0]!.signature, firings()[0]!.body)).toEqual({ ok: true });
    const mail = decoded(smtp.mails.find(mine)!);
    expect(mail).toContain(`[FIRING warning] e2e paged ${suffix}`);

    // Level 2 (the webhook again, from the policy) after its 4 s delay.
    await expect.poll(() => firings().length, { timeout: 10_000 }).toBe(2);
    expect(Date.now() - firstAt).toBeGreaterThanOrEqual(2_500);

    // Acknowledge from the link in the email, with no session: the repeats stop.
    const link = /Acknowledge: (http\S+)/.exec(mail)![1]!;
    const url = new URL(link);
    expect(url.pathname).toBe(`/alerts/${first.alert.id}/ack`);
    const anonymous = await (await browser.newContext()).newPage();
    await anonymous.goto(`${url.pathname}${url.search}`);
    await anonymous.getByLabel("Reason").fill("paged, on it");
    await anonymous.getByRole("button", { name: "Acknowledge" }).click();
    await expect(anonymous.getByRole("heading", { name: "Acknowledged", exact: true })).toBeVisible();
    const atAck = firings().length;
    await admin.waitForTimeout(6_000); // past a repeat's 4 s
    expect(firings().length).toBe(atAck);
    expect(atAck).toBeLessThanOrEqual(3);

    // Its page: the history and who acknowledged it, from the link.
    await admin.goto(`/alerts/${first.alert.id}`);
    await expect(admin.getByTestId("acknowledged-by")).toContainText("paged, on it");
    await expect(admin.getByTestId("acknowledged-by")).toContainText(`the link sent to “e2e mail ${suffix}”`);
    await expect(admin.getByRole("table", { name: "History" })).toContainText("firing → acknowledged");

    expect(first.alert.labels).toEqual({ collection });

    // Recovery, as an operator mends it: the file gets its text and its source is re-scanned for changed files; the alert resolves and the rule's channel hears once.
    writeFileSync(path.join(folder, "berths.md"), "# Berths\n\nBerth 4 takes reefers; berth 7 is for bulk carriers.\n");
    const sourceId = (await (await admin.request.get(`/api/v1/collections/${collectionId}`)).json()).data.sources[0].source.id as string;
    const appended = await admin.request.post(`/api/v1/collections/${collectionId}/sources`, { data: { sourceId }, headers: origin });
    expect(appended.status()).toBe(202);
    const resolved = () => receiver.posts.filter((p) => JSON.parse(p.body).kind === "resolved" && JSON.parse(p.body).alert?.id === first.alert.id);
    await expect.poll(() => resolved().length, { timeout: 30_000 }).toBe(1);
    await admin.waitForTimeout(4_000);
    expect(resolved()).toHaveLength(1);
    expect(smtp.mails.filter(mine)).toHaveLength(1);
    await admin.goto("/alerts/dashboard");
    await expect(admin.getByRole("heading", { name: "Alerts dashboard" })).toBeVisible();
    await expect(admin.getByTestId("chart-alert-timeline")).toBeVisible();
    await expectNoRawError(admin);
    for (const scheme of ["light", "dark"] as const) {
      await admin.emulateMedia({ colorScheme: scheme });
      for (const [name, path] of [["alerts-dashboard", "/alerts/dashboard"], ["escalation-policies", "/alerts/escalation-policies"], ["alert-page", `/alerts/${first.alert.id}`]] as const) {
        await admin.goto(path);
        await admin.screenshot({ path: `test-results/${name}-${scheme}.png`, fullPage: true });
      }
    }
    await admin.emulateMedia({ colorScheme: "light" });

    await admin.goto("/alerts/rules");
    await admin.getByRole("form", { name: `Disable e2e paged ${suffix}` }).getByRole("button", { name: "Disable" }).click();
    await expect(admin.getByRole("form", { name: `Enable e2e paged ${suffix}` })).toBeVisible();
  } finally {
    await receiver.close();
    await smtp.close();
    rmSync(folder, { recursive: true, force: true });
  }
});

test("an admin edits a rule in place: its fields come filled in, a bad threshold is refused on its field and changes nothing, a good edit shows in the table", async ({ browser }) => {
  const admin = await (await browser.newContext({ storageState: stateFile("admin") })).newPage();
  const suffix = Date.now().toString(36);
  const name = `e2e edited ${suffix}`;
  await admin.goto("/alerts/rules");
  const add = admin.getByRole("form", { name: "Add rule" });
  await add.getByLabel("Name", { exact: true }).fill(name);
  await add.getByLabel("Source", { exact: true }).selectOption("dead_letters");
  await add.getByLabel("Matcher (label=value, optional)").fill(`collection=never-${suffix}`);
  await add.getByLabel("Threshold", { exact: true }).fill("1000");
  await add.getByRole("button", { name: "Add rule" }).click();
  await expect(add.getByRole("status")).toContainText(`Rule "${name}" added.`);
  await admin.reload();

  const row = admin.getByRole("row").filter({ hasText: name }).first();
  await expect(row).toContainText(`dead_letters{collection="never-${suffix}"} > 1000`);
  await admin.getByText(`Edit ${name}`, { exact: true }).click();
  const edit = admin.getByRole("form", { name: `Edit ${name}` });
  await expect(edit.getByLabel("Name", { exact: true })).toHaveValue(name);
  await expect(edit.getByLabel("Matcher (label=value, optional)")).toHaveValue(`collection=never-${suffix}`);
  await expect(edit.getByLabel("Threshold", { exact: true })).toHaveValue("1000");

  await edit.getByLabel("Threshold", { exact: true }).fill("lots");
  await edit.getByRole("button", { name: "Save rule" }).click();
  await expect(edit).toContainText("The threshold must be a number.");
  await expectNoRawError(admin);
  await admin.reload();
  await expect(admin.getByRole("row").filter({ hasText: name }).first()).toContainText("> 1000");

  await admin.getByText(`Edit ${name}`, { exact: true }).click();
  const again = admin.getByRole("form", { name: `Edit ${name}` });
  await again.getByLabel("Threshold", { exact: true }).fill("5");
  await again.getByLabel("Operator", { exact: true }).selectOption("gte");
  await again.getByLabel("Matcher (label=value, optional)").fill(`collection=other-${suffix}`);
  await again.getByRole("button", { name: "Save rule" }).click();
  await expect(again.getByRole("status")).toContainText(`Rule "${name}" saved.`);
  await admin.reload();
  await expect(admin.getByRole("row").filter({ hasText: name }).first()).toContainText(`dead_letters{collection="other-${suffix}"} ≥ 5`);
});
