/**
 * msw handlers standing in for the Resend API (demo mode, tests, CI — docs/product-rules.md#outside-services).
 * Every accepted message is appended as one JSON line to a local outbox file
 * (DEMO_OUTBOX_PATH, default data/demo-outbox.jsonl), readable by the
 * /dev/outbox pages and by tests. Like Resend, a request repeating an
 * Idempotency-Key is answered with the first id and sends nothing new.
 */
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { http, HttpResponse } from "msw";

export interface OutboxMessage {
  id: string;
  from: string;
  /** recipients, always as a list */
  to: string[];
  subject: string;
  html: string | null;
  text: string | null;
  /** custom email headers sent in the body */
  headers: Record<string, string>;
  /** the request's Idempotency-Key header, null without one */
  idempotencyKey: string | null;
  createdAt: string;
}

const DEFAULT_OUTBOX_PATH = "data/demo-outbox.jsonl";

function outboxPath(file?: string): string {
  return file ?? process.env.DEMO_OUTBOX_PATH ?? DEFAULT_OUTBOX_PATH;
}

/** Messages in the outbox file, oldest first; [] when there is none. Malformed lines are skipped. */
export function readOutbox(file?: string): OutboxMessage[] {
  let content: string;
  try {
    content = fs.readFileSync(outboxPath(file), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const messages: OutboxMessage[] = [];
  for (const line of content.split("\n")) {
    if (!line.trim()) continue;
    try {
      messages.push(JSON.parse(line) as OutboxMessage);
    } catch {
      // a torn last line (process killed mid-write) is ignored
    }
  }
  return messages;
}

/** Empty the outbox file. */
export function clearOutbox(file?: string): void {
  fs.rmSync(outboxPath(file), { force: true });
}

function appendToOutbox(messages: OutboxMessage[]): void {
  const file = outboxPath();
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.appendFileSync(file, messages.map((m) => JSON.stringify(m) + "\n").join(""));
}

const failureState = { remaining: 0, status: 500 };

/** Make the mocked API fail, for tests of retries. */
export const resendFailures = {
  /** the next `count` requests answer `status` with a JSON error */
  next(count: number, status = 500): void {
    failureState.remaining = count;
    failureState.status = status;
  },
  reset(): void {
    failureState.remaining = 0;
    failureState.status = 500;
  },
};

function errorResponse(statusCode: number, name: string, message: string) {
  return HttpResponse.json({ statusCode, name, message }, { status: statusCode });
}

function injectedFailure() {
  if (failureState.remaining <= 0) return null;
  failureState.remaining -= 1;
  const status = failureState.status;
  const name =
    status === 429 ? "rate_limit_exceeded" : status >= 500 ? "internal_server_error" : "application_error";
  return errorResponse(status, name, `Simulated failure (HTTP ${status}).`);
}

type Validated =
  | { ok: true; message: Omit<OutboxMessage, "id" | "idempotencyKey" | "createdAt"> }
  | { ok: false; error: string };

function validate(body: unknown): Validated {
  if (!body || typeof body !== "object" || Array.isArray(body))
    return { ok: false, error: "Invalid request body." };
  const b = body as Record<string, unknown>;
  for (const field of ["from", "to", "subject"] as const) {
    const value = b[field];
    const present = Array.isArray(value)
      ? value.length > 0 && value.every((v) => typeof v === "string" && v.length > 0)
      : typeof value === "string" && value.length > 0;
    if (!present) return { ok: false, error: `Missing \`${field}\` field.` };
  }
  if (typeof b.html !== "string" && typeof b.text !== "string") {
    return { ok: false, error: "Missing `html` or `text` field." };
  }
  const to = b.to as string | string[];
  return {
    ok: true,
    message: {
      from: b.from as string,
      to: Array.isArray(to) ? to : [to],
      subject: b.subject as string,
      html: typeof b.html === "string" ? b.html : null,
      text: typeof b.text === "string" ? b.text : null,
      headers: b.headers && typeof b.headers === "object" ? (b.headers as Record<string, string>) : {},
    },
  };
}

async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return undefined;
  }
}

/**
 * Idempotency keys already in the outbox file, read incrementally (only the bytes
 * appended since the last look, by this process or another), so each request
 * costs O(new lines), not O(outbox).
 */
const keyIndexes = new Map<string, { offset: number; ids: Map<string, string[]> }>();

function idsByKey(file: string): Map<string, string[]> {
  let index = keyIndexes.get(file) ?? { offset: 0, ids: new Map<string, string[]>() };
  let size = 0;
  try {
    size = fs.statSync(file).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (size < index.offset) index = { offset: 0, ids: new Map() }; // cleared
  if (size > index.offset) {
    const fd = fs.openSync(file, "r");
    try {
      const buffer = Buffer.alloc(size - index.offset);
      fs.readSync(fd, buffer, 0, buffer.length, index.offset);
      const complete = buffer.lastIndexOf(0x0a) + 1; // only whole lines
      for (const line of buffer.subarray(0, complete).toString("utf8").split("\n")) {
        if (!line.trim()) continue;
        try {
          const m = JSON.parse(line) as OutboxMessage;
          if (m.idempotencyKey)
            index.ids.set(m.idempotencyKey, [...(index.ids.get(m.idempotencyKey) ?? []), m.id]);
        } catch {
          // torn line
        }
      }
      index.offset += complete;
    } finally {
      fs.closeSync(fd);
    }
  }
  keyIndexes.set(file, index);
  return index.ids;
}

/** Ids of the messages already accepted with this idempotency key (read and append are synchronous: no race). */
function replayed(idempotencyKey: string | null): Array<{ id: string }> {
  if (!idempotencyKey) return [];
  return (idsByKey(outboxPath()).get(idempotencyKey) ?? []).map((id) => ({ id }));
}

export const resendHandlers = [
  http.post("https://api.resend.com/emails", async ({ request }) => {
    const failure = injectedFailure();
    if (failure) return failure;
    const idempotencyKey = request.headers.get("Idempotency-Key");
    const validated = validate(await readJson(request));
    if (!validated.ok) return errorResponse(422, "missing_required_field", validated.error);
    const previous = replayed(idempotencyKey);
    if (previous[0]) return HttpResponse.json({ id: previous[0].id });
    const message: OutboxMessage = {
      id: randomUUID(),
      ...validated.message,
      idempotencyKey,
      createdAt: new Date().toISOString(),
    };
    appendToOutbox([message]);
    return HttpResponse.json({ id: message.id });
  }),

  http.post("https://api.resend.com/emails/batch", async ({ request }) => {
    const failure = injectedFailure();
    if (failure) return failure;
    const idempotencyKey = request.headers.get("Idempotency-Key");
    const body = await readJson(request);
    if (!Array.isArray(body) || body.length === 0) {
      return errorResponse(422, "validation_error", "The request body must be a non-empty array of emails.");
    }
    if (body.length > 100) return errorResponse(422, "validation_error", "A batch holds at most 100 emails.");
    const accepted: Array<Validated & { ok: true }> = [];
    for (const [index, item] of body.entries()) {
      const validated = validate(item);
      if (!validated.ok)
        return errorResponse(422, "missing_required_field", `emails[${index}]: ${validated.error}`);
      accepted.push(validated);
    }
    const previous = replayed(idempotencyKey);
    if (previous.length > 0) return HttpResponse.json({ data: previous.map((m) => ({ id: m.id })) });
    const createdAt = new Date().toISOString();
    const messages = accepted.map((v) => ({ id: randomUUID(), ...v.message, idempotencyKey, createdAt }));
    appendToOutbox(messages);
    return HttpResponse.json({ data: messages.map((m) => ({ id: m.id })) });
  }),
];
