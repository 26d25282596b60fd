/**
 * How much of a request body the server reads, enforced while reading (a chunked body has no
 * Content-Length to trust). Every body enters through the HTTP server (server.ts), which reads
 * it through `readBodyWithin` before Remix sees it: past the limit it stops reading, answers
 * 413 and drops the connection; nothing of the request is processed.
 */
import type { IncomingMessage } from "node:http";
import { MAX_IMAGE_BYTES } from "./holder/images.server";

/** Stripe's events are a few kilobytes; 1 MB leaves room and bounds a forged one. */
export const MAX_WEBHOOK_BYTES = 1_000_000;
/** The longest form (a campaign: 30 000 characters, up to 9 bytes each once URL-encoded) fits. */
export const MAX_FORM_BYTES = 1024 * 1024;
/**
 * The image upload route's ceiling: twice the image limit, so that an image a little too
 * heavy still reaches the route and gets its message in the form (« 5 Mo au plus »).
 */
export const MAX_UPLOAD_BYTES = 2 * MAX_IMAGE_BYTES + 64 * 1024;

/** The body limit for a request path (without its query). */
export function bodyLimitFor(pathname: string): number {
  if (pathname === "/webhooks/stripe") return MAX_WEBHOOK_BYTES;
  if (/^\/porteur\/campagnes\/\d+\/?$/.test(pathname)) return MAX_UPLOAD_BYTES;
  return MAX_FORM_BYTES;
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`body larger than ${limit} bytes`);
  }
}

/**
 * The whole body, or a BodyTooLargeError as soon as it passes `limit` (announced by
 * Content-Length, or counted while reading). On refusal the stream is paused and left
 * unread: the caller answers 413 and closes the connection.
 */
export function readBodyWithin(req: IncomingMessage, limit: number): Promise<Buffer> {
  const announced = Number(req.headers["content-length"] ?? NaN);
  if (Number.isFinite(announced) && announced > limit) return Promise.reject(new BodyTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("aborted", onAborted);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        chunks.length = 0;
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    // A client that went away mid-body: a 400 (never logged as a server error), nothing processed.
    const onError = (error: Error) => {
      cleanup();
      reject(Object.assign(error, { status: 400 }));
    };
    const onAborted = () => onError(new Error("request aborted"));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("aborted", onAborted);
  });
}
