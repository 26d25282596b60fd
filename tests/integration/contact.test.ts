/**
 * The « Contact » form's action (app/routes/contact.tsx → app/legal/contact.server.ts) on a real
 * database: zod validation in French with nothing written, the honeypot, the limits per client
 * address and per e-mail address, the stored message with its outbox e-mail to CONTACT_EMAIL in
 * the same transaction, and the retention purge.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.CONTACT_EMAIL = "equipe@propulsons.example";
});

import { closeDatabase, database, initDatabase } from "~/db.server";
import {
  CONTACT_WINDOW_MS,
  MAX_CONTACT_PER_EMAIL,
  MAX_CONTACT_PER_IP,
  purgeContactMessages,
  submitContact,
} from "~/legal/contact.server";
import { renderEmail } from "~/email.server";
import { action } from "~/routes/contact";
import { tempDatabasePath } from "../support/db";

let cleanup: () => void;

beforeAll(async () => {
  const tmp = tempDatabasePath("contact");
  cleanup = tmp.cleanup;
  await initDatabase({ path: tmp.file, seed: false });
});

afterAll(async () => {
  await closeDatabase();
  cleanup();
});

beforeEach(async () => {
  const db = database().db;
  await db.deleteFrom("contact_messages").execute();
  await db.deleteFrom("email_outbox").execute();
});

const VALID = {
  name: "Claire Dupont",
  email: "Claire.Dupont@Example.org",
  subject: "contribution",
  message: "Bonjour, je n’ai pas reçu mon reçu de contribution PRP-000042.",
  site_web: "",
};

function form(values: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.set(k, v);
  return f;
}

/** Call the route's action as Remix does; returns the status and the data. */
async function post(values: Record<string, string>, ip = "203.0.113.7") {
  const result = (await action({
    request: new Request("http://localhost/contact", { method: "POST", body: form(values) }),
    params: {},
    context: { clientIp: ip },
  })) as unknown;
  if (result && typeof result === "object" && "type" in result && result.type === "DataWithResponseInit") {
    const r = result as unknown as { data: Record<string, unknown>; init: { status?: number } | null };
    return { status: r.init?.status ?? 200, body: r.data };
  }
  return { status: 200, body: result as Record<string, unknown> };
}

async function counts() {
  const db = database().db;
  const [messages, outbox] = await Promise.all([
    db.selectFrom("contact_messages").selectAll().execute(),
    db.selectFrom("email_outbox").selectAll().execute(),
  ]);
  return { messages, outbox };
}

describe("contact form", () => {
  it("stores the message and queues one e-mail to CONTACT_EMAIL, then says it was received", async () => {
    const { status, body } = await post(VALID);
    expect(status).toBe(200);
    const { messages, outbox } = await counts();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      name: "Claire Dupont",
      email: "claire.dupont@example.org",
      subject: "contribution",
      message: VALID.message,
      ip: "203.0.113.7",
    });
    expect(body).toEqual({ ok: true, reference: messages[0]!.id, email: "claire.dupont@example.org" });
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({
      kind: "contact_message",
      to_email: "equipe@propulsons.example",
      idempotency_key: `contact:${messages[0]!.id}`,
      status: "pending",
    });
    const rendered = await renderEmail({
      kind: "contact_message",
      data: JSON.parse(outbox[0]!.payload_json),
    });
    expect(rendered.subject).toBe("Message de contact\u00a0: Une contribution (Claire Dupont)");
    expect(rendered.text).toContain("claire.dupont@example.org");
    expect(rendered.text).toContain("PRP-000042");
  });

  it("refuses bad input with French messages per field, a 400, and writes nothing", async () => {
    const { status, body } = await post({
      name: " ",
      email: "pas-une-adresse",
      subject: "piratage",
      message: "court",
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({
      ok: false,
      errors: {
        name: "Indiquez votre nom.",
        email: "Adresse électronique invalide (exemple\u00a0: prenom.nom@exemple.fr).",
        subject: "Choisissez l’objet de votre message.",
        message: "Écrivez votre message (10 caractères au moins).",
      },
      values: { name: " ", email: "pas-une-adresse", subject: "piratage", message: "court" },
    });
    const long = await post({ ...VALID, message: "x".repeat(5001) });
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({
      errors: { message: "Message trop long (5\u202f000\u00a0caractères au plus)." },
    });
    const { messages, outbox } = await counts();
    expect(messages).toHaveLength(0);
    expect(outbox).toHaveLength(0);
  });

  it("refuses a filled honeypot field without storing or sending anything", async () => {
    const { status, body } = await post({ ...VALID, site_web: "https://spam.example" });
    expect(status).toBe(400);
    expect(body.message).toMatch(
      /^Le message n’a pas été envoyé\u00a0: le champ «\u00a0Ne pas remplir\u00a0»/,
    );
    const { messages, outbox } = await counts();
    expect(messages).toHaveLength(0);
    expect(outbox).toHaveLength(0);
  });

  it("limits the messages per e-mail address within the window, then accepts again", async () => {
    const db = database().db;
    const t0 = new Date("2026-11-10T10:00:00.000Z");
    for (let i = 0; i < MAX_CONTACT_PER_EMAIL; i++) {
      const r = await submitContact(db, form(VALID), {
        ip: `198.51.100.${i + 1}`,
        now: new Date(t0.getTime() + i * 60_000),
      });
      expect(r.ok, `message ${i + 1}`).toBe(true);
    }
    const refused = await submitContact(db, form({ ...VALID, email: "claire.dupont@example.org" }), {
      ip: "198.51.100.99",
      now: new Date(t0.getTime() + 10 * 60_000),
    });
    expect(refused).toMatchObject({
      ok: false,
      status: 429,
      message:
        "Le message n’a pas été envoyé\u00a0: trop de messages en peu de temps. Réessayez dans 50\u00a0minutes.",
    });
    expect((await counts()).messages).toHaveLength(MAX_CONTACT_PER_EMAIL);
    expect((await counts()).outbox).toHaveLength(MAX_CONTACT_PER_EMAIL);
    // Once the first message left the window, one more is accepted.
    const later = await submitContact(db, form(VALID), {
      ip: "198.51.100.99",
      now: new Date(t0.getTime() + CONTACT_WINDOW_MS + 1),
    });
    expect(later.ok).toBe(true);
  });

  it("limits the messages per client address (an IPv6 client is its /64), whatever the e-mail", async () => {
    const db = database().db;
    const t0 = new Date("2026-11-10T10:00:00.000Z");
    for (let i = 0; i < MAX_CONTACT_PER_IP; i++) {
      const r = await submitContact(db, form({ ...VALID, email: `personne${i}@example.org` }), {
        ip: `2001:db8:1:2::${i + 1}`,
        now: new Date(t0.getTime() + i * 1000),
      });
      expect(r.ok, `message ${i + 1}`).toBe(true);
    }
    const refused = await submitContact(db, form({ ...VALID, email: "autre@example.org" }), {
      ip: "2001:db8:1:2:ffff::1",
      now: new Date(t0.getTime() + 60_000),
    });
    expect(refused).toMatchObject({ ok: false, status: 429 });
    const elsewhere = await submitContact(db, form({ ...VALID, email: "autre@example.org" }), {
      ip: "2001:db8:1:3::1",
      now: new Date(t0.getTime() + 60_000),
    });
    expect(elsewhere.ok).toBe(true);
    // Through the route too: a 429 with the French message.
    for (let i = 0; i < MAX_CONTACT_PER_IP; i++)
      await post({ ...VALID, email: `r${i}@example.org` }, "192.0.2.50");
    const viaRoute = await post({ ...VALID, email: "r-last@example.org" }, "192.0.2.50");
    expect(viaRoute.status).toBe(429);
    expect(viaRoute.body.message).toMatch(/trop de messages en peu de temps/);
  });

  it("purgeContactMessages deletes the messages sent before the date, and only them", async () => {
    const db = database().db;
    await submitContact(db, form(VALID), { ip: "192.0.2.1", now: new Date("2025-01-01T00:00:00.000Z") });
    await submitContact(db, form({ ...VALID, email: "b@example.org" }), {
      ip: "192.0.2.2",
      now: new Date("2026-06-01T00:00:00.000Z"),
    });
    expect(await purgeContactMessages(db, new Date("2026-01-01T00:00:00.000Z"))).toBe(1);
    const left = await db.selectFrom("contact_messages").select("email").execute();
    expect(left).toEqual([{ email: "b@example.org" }]);
  });
});
