/**
 * Server-only access to the demo outbox written by the mocked Resend API
 * (app/demo/resend-api.server.ts). The `.server` suffix keeps node:fs out of the
 * browser bundle of the /dev/outbox routes.
 */
export { readOutbox, type OutboxMessage } from "~/demo/resend-api.server";
