/**
 * Tax receipt downloads against the built server: the donor gets their own receipt from « Mes
 * contributions », the holder their structure's ones with the year's register (CSV), figures
 * and zip, staff any one; anyone else gets a 404 (or the sign-in page, or 403 for the back office).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "#db/connection";
import { issueReceipt } from "~/receipts/issue.server";
import { sha256 } from "~/receipts/pdf.server";
import { tempDatabasePath } from "../support/db";
import { httpClient } from "../support/http-session";
import { pdfText } from "../support/pdf-text";
import { createVerifiedReceiptProfile, requestReceipt } from "../support/receipts";
import { freePort, startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let tmp: ReturnType<typeof tempDatabasePath>;
let outbox: string;
let handle: Database;
let client: ReturnType<typeof httpClient>;
let receipt: { id: number; order_number: string; pdf_sha256: string; organization_id: number };
let donor: { id: number; email: string };
let otherCitizen: string;
let holder: string;
let otherHolder: string;
let staff: string;

beforeAll(async () => {
  tmp = tempDatabasePath("receipts-http");
  const dir = path.dirname(tmp.file.startsWith("postgres") ? fs.mkdtempSync("/tmp/rc-http-") : tmp.file);
  outbox = path.join(dir, "outbox.jsonl");
  const uploads = path.join(dir, "uploads");
  process.env.UPLOADS_DIR = uploads;
  const port = await freePort();
  server = await startServer(
    {
      DATABASE_PATH: tmp.file,
      DEMO_OUTBOX_PATH: outbox,
      SETTLE_INTERVAL_SECONDS: "0",
      UPLOADS_DIR: uploads,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    },
    { port },
  );
  client = httpClient(server, outbox);
  handle = openDatabase(tmp.file);
  const db = handle.db;
  // A paid contribution of a seeded campaign, whose campaign is made funded for this test.
  const k = await db
    .selectFrom("contributions as k")
    .innerJoin("campaigns as c", "c.id", "k.campaign_id")
    .innerJoin("organizations as o", "o.id", "c.organization_id")
    .innerJoin("users as u", "u.id", "o.owner_user_id")
    .select(["k.id", "k.email", "c.id as campaign_id", "o.id as org_id", "u.email as holder_email"])
    .where("k.status", "=", "paid")
    .where("k.dispute_status", "is", null)
    .orderBy("k.id")
    .executeTakeFirstOrThrow();
  donor = { id: k.id, email: k.email };
  holder = k.holder_email;
  await db.updateTable("campaigns").set({ status: "funded" }).where("id", "=", k.campaign_id).execute();
  await createVerifiedReceiptProfile(db, k.org_id);
  await requestReceipt(db, k.id, { first_name: "Hélène", last_name: "Dupré" });
  const outcome = await issueReceipt(db, k.id, new Date());
  expect(outcome.kind).toBe("issued");
  receipt = await db
    .selectFrom("receipts")
    .select(["id", "order_number", "pdf_sha256", "organization_id"])
    .where("contribution_id", "=", k.id)
    .executeTakeFirstOrThrow();
  otherCitizen = (
    await db
      .selectFrom("contributions")
      .select("email")
      .where("email", "<>", k.email)
      .where("status", "=", "paid")
      .executeTakeFirstOrThrow()
  ).email;
  otherHolder = (
    await db
      .selectFrom("users as u")
      .innerJoin("organizations as o", "o.owner_user_id", "u.id")
      .select("u.email")
      .where("o.id", "<>", k.org_id)
      .where("u.email", "<>", holder)
      .executeTakeFirstOrThrow()
  ).email;
  staff = (await db.selectFrom("users").select("email").where("role", "=", "staff").executeTakeFirstOrThrow())
    .email;
});

afterAll(async () => {
  await handle?.close();
  await server?.stop();
  tmp?.cleanup();
});

const pdfPath = (who: "mon-compte" | "porteur" | "gestion") => `/${who}/recus/${receipt.id}/recu-fiscal.pdf`;

async function download(pathname: string, cookie: string) {
  const res = await fetch(server.url + pathname, { headers: { cookie }, redirect: "manual" });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe("tax receipt downloads", () => {
  it("the donor downloads their receipt from « Mes contributions », the stored bytes", async () => {
    const cookie = await client.signIn(donor.email);
    const page = await client.call("GET", `/mon-compte/contributions/${donor.id}`, { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain("Télécharger le reçu fiscal (PDF)");
    expect(page.body).toContain(pdfPath("mon-compte"));
    const { res, bytes } = await download(pdfPath("mon-compte"), cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toContain(
      `attachment; filename="recu-fiscal-${receipt.order_number}.pdf"`,
    );
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(sha256(bytes)).toBe(receipt.pdf_sha256);
    expect((await pdfText(bytes)).text).toContain("DUPRÉ Hélène");
  });

  it("another citizen gets a 404, someone signed out the sign-in page", async () => {
    const cookie = await client.signIn(otherCitizen);
    expect((await client.call("GET", pdfPath("mon-compte"), { cookie })).status).toBe(404);
    expect((await client.call("GET", pdfPath("porteur"), { cookie })).status).toBe(404);
    expect((await client.call("GET", pdfPath("gestion"), { cookie })).status).toBe(403);
    const anonymous = await client.call("GET", pdfPath("mon-compte"));
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toContain("/connexion");
    expect((await client.call("GET", "/mon-compte/recus/abc/recu-fiscal.pdf", { cookie })).status).toBe(404);
  });

  it("the holder reads the year: receipt, 222 bis figures, register CSV for French Excel, zip", async () => {
    const cookie = await client.signIn(holder);
    const { res, bytes } = await download(pdfPath("porteur"), cookie);
    expect(res.status).toBe(200);
    expect(sha256(bytes)).toBe(receipt.pdf_sha256);
    const year = receipt.order_number.slice(0, 4);
    const page = await client.call(
      "GET",
      `/porteur/recus?structure=${receipt.organization_id}&annee=${year}`,
      { cookie },
    );
    expect(page.status).toBe(200);
    expect(page.body).toContain(receipt.order_number);
    expect(page.body).toContain("article 222 bis du CGI");
    const csv = await download(
      `/porteur/recus/registre.csv?structure=${receipt.organization_id}&annee=${year}`,
      cookie,
    );
    expect(csv.res.status).toBe(200);
    expect(csv.res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    // UTF-8 with a byte order mark, so that French Excel reads the accents.
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.bytes.subarray(3).toString("utf8").trim().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Numéro d’ordre;Date d’émission;Nom;/);
    expect(lines[1]).toContain(`${receipt.order_number};`);
    expect(lines[1]).toContain(";Dupré;Hélène;");
    const zip = await download(
      `/porteur/recus/recus.zip?structure=${receipt.organization_id}&annee=${year}`,
      cookie,
    );
    expect(zip.res.status).toBe(200);
    expect(zip.bytes.subarray(0, 2).toString()).toBe("PK");
    expect(zip.bytes.includes(Buffer.from(`recu-fiscal-${receipt.order_number}.pdf`))).toBe(true);
  });

  it("another holder gets a 404 for the receipt and for that structure's register", async () => {
    const cookie = await client.signIn(otherHolder);
    expect((await client.call("GET", pdfPath("porteur"), { cookie })).status).toBe(404);
    const year = receipt.order_number.slice(0, 4);
    expect(
      (
        await client.call(
          "GET",
          `/porteur/recus/registre.csv?structure=${receipt.organization_id}&annee=${year}`,
          { cookie },
        )
      ).status,
    ).toBe(404);
    expect(
      (await client.call("GET", `/porteur/recus?structure=${receipt.organization_id}`, { cookie })).status,
    ).toBe(404);
    expect((await client.call("GET", `/porteur/recus?annee=20x6`, { cookie })).status).toBe(400);
  });

  it("staff download any receipt", async () => {
    const cookie = await client.signIn(staff);
    const { res, bytes } = await download(pdfPath("gestion"), cookie);
    expect(res.status).toBe(200);
    expect(sha256(bytes)).toBe(receipt.pdf_sha256);
  });
});
