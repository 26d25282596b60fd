/** Talking to the built server like a browser without JavaScript: forms, cookies, sign-in through the outbox. */
import { readOutbox } from "~/demo/resend-api.server";
import type { RunningServer } from "./server";

export interface Answer {
  status: number;
  location: string | null;
  headers: Headers;
  setCookies: string[];
  body: string;
}

export function httpClient(server: RunningServer, outbox: string) {
  const origin = server.url;
  async function call(
    method: "GET" | "POST",
    path: string,
    options: { cookie?: string; form?: Record<string, string> } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { origin };
    if (options.cookie) headers.cookie = options.cookie;
    const body = options.form ? new URLSearchParams(options.form) : undefined;
    const res = await fetch(server.url + path, { method, headers, body, redirect: "manual" });
    return {
      status: res.status,
      location: res.headers.get("location"),
      headers: res.headers,
      setCookies: res.headers.getSetCookie(),
      body: await res.text(),
    };
  }
  async function signIn(email: string): Promise<string> {
    const asked = await call("POST", "/connexion", { form: { email, retour: "/mon-compte" } });
    if (asked.status !== 200) throw new Error(`sign-in request answered ${asked.status}`);
    const mail = readOutbox(outbox)
      .filter((m) => m.to.includes(email))
      .at(-1);
    const code = mail ? /(\d{6})$/.exec(mail.subject)?.[1] : undefined;
    if (!code) throw new Error(`no sign-in code for ${email}`);
    const done = await call("POST", "/connexion", {
      form: { intent: "code", email, code, retour: "/mon-compte" },
    });
    const token = done.setCookies.map((c) => /^__session=([^;]+)/.exec(c)?.[1]).find(Boolean);
    if (done.status !== 302 || !token) throw new Error(`sign-in failed (${done.status})`);
    return `__session=${token}`;
  }
  return { call, signIn };
}
