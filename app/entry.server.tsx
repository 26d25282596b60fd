import { PassThrough, Transform } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "./nonce";
import { SpliceStoreContext } from "./components/page-splice";
import { config } from "./config.server";
import { logger } from "./logger.server";
import { applySecurityHeaders, newCspNonce } from "./security-headers.server";

const ABORT_DELAY = 5_000;

/**
 * react-dom 18.3.1's Node stream renderer can flush a buffer with one unused byte
 * (0x00) when a multi-byte character (« é », « œ ») does not fit in it
 * (facebook/react#31134): browsers then show « � » and a form sent back without
 * JavaScript would store it. Valid HTML never contains NUL: drop those bytes.
 */
export function stripNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, chunk.includes(0) ? Buffer.from(chunk.filter((byte) => byte !== 0)) : chunk);
    },
  });
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // The nonce the server drew for this render; one of our own when rendered without it (tests).
  const nonce = loadContext?.cspNonce ?? newCspNonce();
  // Bots and no-JS clients get the whole document at once; browsers get it streamed.
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <SpliceStoreContext.Provider value={loadContext?.spliceStore ?? null}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </SpliceStoreContext.Provider>
      </NonceContext.Provider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          const clean = stripNulBytes();
          body.pipe(clean);
          const stream = createReadableStreamFromReadable(clean);
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          applySecurityHeaders(responseHeaders, { nonce, production: config().env === "production" });
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) logger().error({ err: error }, "Erreur pendant le rendu d'une page.");
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
