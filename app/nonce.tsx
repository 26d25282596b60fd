/**
 * This render's Content-Security-Policy nonce, for the inline scripts Remix writes
 * (<Scripts>, <ScrollRestoration>). Provided by entry.server.tsx; undefined in the browser,
 * which never needs it once the page is loaded.
 */
import { createContext, useContext } from "react";

export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
