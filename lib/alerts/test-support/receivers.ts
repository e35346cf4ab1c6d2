import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export type Received = { path: string; headers: http.IncomingHttpHeaders; body: string; answered: number; /** When it arrived (ms since the epoch). */ at: number };

/** A loopback HTTP receiver answering each POST with the next status of `statuses` (then 200), keeping every request. */
export async function startHttpReceiver(statuses: number[] = []) {
  const received: Received[] = [];
  const queue = [...statuses];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const answered = queue.shift() ?? 200;
      received.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), answered, at: Date.now() });
      res.writeHead(answered, { "content-type": "text/plain" }).end(answered < 300 ? "ok" : "no");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, answerNext: (...s: number[]) => queue.push(...s), close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export type ReceivedMail = { from: string | undefined; to: string[]; raw: string };

/** A real SMTP server on a loopback socket (no TLS, no auth), keeping each message it accepts; the first `refuse` messages get a 451 (try again later). */
export async function startSmtpReceiver({ refuse = 0 }: { refuse?: number } = {}) {
  const mails: ReceivedMail[] = [];
  let refused = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (refused < refuse) {
          refused++;
          return callback(Object.assign(new Error("Try again later"), { responseCode: 451 }));
        }
        const from = session.envelope.mailFrom;
        mails.push({ from: from ? from.address : undefined, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, mails, refusals: () => refused, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
