import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { users } from "@/db/schema/users";
import { createTestUser, uniqueEmail } from "@/db/test/factories";
import { apiRequest, CONSOLE_ORIGIN, noParams, signedInCookie, setTestAuthEnv } from "@/lib/auth/test-support/session-cookie";
import { createApiToken } from "@/lib/services/api-token/create";
import { POST as createUserRoute } from "@/app/api/v1/users/route";
import { apiRoute } from "./route";

setTestAuthEnv();

const newAdmin = () => JSON.stringify({ email: uniqueEmail("csrf"), name: "Mallory", role: "admin", password: "a-long-enough-password" });
const usersNamed = async (body: string) => getDb().select().from(users).where(eq(users.email, JSON.parse(body).email));

describe("CSRF guard on cookie-authenticated /api/v1 mutations", () => {
  let cookie: string;
  let adminId: string;
  beforeAll(async () => {
    const admin = await createTestUser("admin");
    adminId = admin.id;
    ({ cookie } = await signedInCookie(admin.email));
  });

  it("refuses a cross-site Origin with 403 in the JSON error envelope, and creates nothing", async () => {
    const body = newAdmin();
    const res = await createUserRoute(apiRequest("/api/v1/users", { method: "POST", cookie, origin: "http://evil.example", headers: { "content-type": "application/json" }, body }), noParams);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: "forbidden", message: expect.stringContaining("Cross-site request refused") } });
    expect(await usersNamed(body)).toHaveLength(0);
  });

  it("refuses another port of the same host, a missing Origin and Origin: null", async () => {
    for (const origin of ["http://console.test:3001", null, "null"]) {
      const body = newAdmin();
      const res = await createUserRoute(apiRequest("/api/v1/users", { method: "POST", cookie, origin, headers: { "content-type": "application/json" }, body }), noParams);
      expect(res.status, String(origin)).toBe(403);
      expect(await usersNamed(body)).toHaveLength(0);
    }
  });

  it("refuses a text/plain or untyped body even from the console's origin (what a no-cors fetch sends)", async () => {
    const bodies: Record<string, string>[] = [{ "content-type": "text/plain;charset=UTF-8" }, { "content-length": "120" }, { "content-type": "multipart/form-data; boundary=x" }];
    for (const headers of bodies) {
      const body = newAdmin();
      const res = await createUserRoute(apiRequest("/api/v1/users", { method: "POST", cookie, origin: CONSOLE_ORIGIN, headers, body }), noParams);
      expect(res.status, JSON.stringify(headers)).toBe(415);
      expect((await res.json()).error.code).toBe("unsupported_media_type");
      expect(await usersNamed(body)).toHaveLength(0);
    }
  });

  it("accepts JSON from the console's own origin (NEXTAUTH_URL or the Host it was addressed to)", async () => {
    const viaConfigured = newAdmin();
    const res = await createUserRoute(apiRequest("/api/v1/users", { method: "POST", cookie, origin: CONSOLE_ORIGIN, headers: { "content-type": "application/json" }, body: viaConfigured }), noParams);
    expect(res.status).toBe(201);
    const viaHost = newAdmin();
    const other = apiRequest("/api/v1/users", { method: "POST", cookie, origin: "http://localhost:4000", headers: { "content-type": "application/json", host: "localhost:4000" }, body: viaHost });
    expect((await createUserRoute(other, noParams)).status).toBe(201);
    // A browser that leaves out Origin still says where the request came from.
    const viaFetchSite = newAdmin();
    const fetchSite = apiRequest("/api/v1/users", { method: "POST", cookie, headers: { "content-type": "application/json", "sec-fetch-site": "same-origin" }, body: viaFetchSite });
    expect((await createUserRoute(fetchSite, noParams)).status).toBe(201);
    expect(await usersNamed(viaHost)).toHaveLength(1);
  });

  it("lets an API token call from anywhere: browsers never send it on their own", async () => {
    const token = await createApiToken({ ctx: { actor: { type: "user", id: adminId, email: "a@example.test", role: "admin" }, ip: null, correlationId: crypto.randomUUID() }, input: { name: "ci" } });
    const body = newAdmin();
    const res = await createUserRoute(
      apiRequest("/api/v1/users", { method: "POST", origin: "http://evil.example", headers: { authorization: `Bearer ${token.secret}`, "content-type": "application/json" }, body }),
      noParams,
    );
    expect(res.status).toBe(201);
    expect(await usersNamed(body)).toHaveLength(1);
  });

  it("allows multipart only where the route says so, and still requires the console's Origin there", async () => {
    const upload = apiRoute(async () => ({ ok: true }), { accepts: "json-or-multipart" });
    const form = new FormData();
    form.append("files", new Blob(["hello"]), "a.txt");
    const multipart = () => new Response(form).headers.get("content-type")!;
    const sameSite = apiRequest("/api/v1/collections/x/uploads", { method: "POST", cookie, origin: CONSOLE_ORIGIN, headers: { "content-type": multipart() }, body: form });
    expect((await upload(sameSite, noParams)).status).toBe(200);
    const crossSite = apiRequest("/api/v1/collections/x/uploads", { method: "POST", cookie, origin: "http://evil.example", headers: { "content-type": multipart() }, body: form });
    expect((await upload(crossSite, noParams)).status).toBe(403);
    const plain = apiRequest("/api/v1/collections/x/uploads", { method: "POST", cookie, origin: CONSOLE_ORIGIN, headers: { "content-type": "text/plain" }, body: "x" });
    expect((await upload(plain, noParams)).status).toBe(415);
  });

  it("leaves reads alone and answers a request without credentials 401", async () => {
    const read = apiRoute(async () => ({ ok: true }));
    expect((await read(apiRequest("/api/v1/x", { cookie, origin: "http://evil.example" }), noParams)).status).toBe(200);
    const anonymous = await createUserRoute(apiRequest("/api/v1/users", { method: "POST", origin: CONSOLE_ORIGIN, headers: { "content-type": "application/json" }, body: newAdmin() }), noParams);
    expect(anonymous.status).toBe(401);
  });
});
