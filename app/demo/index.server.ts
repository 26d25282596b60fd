/**
 * All msw handlers standing in for outside services (docs/product-rules.md#outside-services), shared by
 * the demo server and the tests. Each service is mocked only while its real key
 * is absent, so a deployment with keys talks to the real services.
 */
import { setupServer, type SetupServer } from "msw/node";
import { resendHandlers } from "./resend-api.server";
import { stripeHandlers } from "./stripe-api.server";

export const handlers = [...stripeHandlers, ...resendHandlers];

let server: SetupServer | undefined;

/**
 * Start intercepting outgoing requests (once; later calls return the same
 * server). Requests to other hosts — the platform's own webhook endpoint
 * included — pass through.
 */
export function startMockServer(options: { stripe?: boolean; resend?: boolean } = {}): SetupServer {
  if (!server) {
    const selected = [
      ...(options.stripe === false ? [] : stripeHandlers),
      ...(options.resend === false ? [] : resendHandlers),
    ];
    server = setupServer(...selected);
    server.listen({ onUnhandledRequest: "bypass" });
  }
  return server;
}
