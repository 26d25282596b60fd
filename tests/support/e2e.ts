/**
 * Helpers shared by the browser tests (tests/e2e/): pages in fresh contexts of
 * Debian's Chromium, React hydration, text normalisation, axe-core checks
 * (WCAG 2.1 A/AA) with a screenshot in test-results/, and the sign-in e-mail.
 */
import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { readOutbox, type OutboxMessage } from "~/demo/resend-api.server";
import { launchChromium } from "./browser";
import { tempDatabasePath } from "./db";
import { freePort, ROOT, startServer, type RunningServer } from "./server";

/** Screenshots of the axe-checked pages land here (git-ignored). */
export const RESULTS_DIR = path.join(ROOT, "test-results");
export const NBSP = "\u00a0";
/** The axe rules checked: WCAG 2.1 A and AA. */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
export const SIGN_IN_SUBJECT = /^Votre code de connexion à Propulsons\u00a0: (\d{6})$/;

/**
 * Start the built server on a throwaway seeded database (`name` names its folder), its e-mails
 * written by the mocked Resend API to an outbox file next to it, and PUBLIC_URL set to the
 * server's own address (the links of the e-mails and Checkout's URLs are built from it);
 * `env` adds to or overrides that environment. `cleanup` removes the database folder.
 */
export async function startServerWithOutbox(
  name: string,
  env: Record<string, string> = {},
): Promise<{ server: RunningServer; databaseFile: string; outboxFile: string; cleanup: () => void }> {
  const tmp = tempDatabasePath(name);
  const outboxFile = path.join(path.dirname(tmp.file), "outbox.jsonl");
  let server: RunningServer | undefined;
  try {
    const port = await freePort();
    server = await startServer(
      {
        DATABASE_PATH: tmp.file,
        DEMO_OUTBOX_PATH: outboxFile,
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        EMAIL_WORKER_INTERVAL_SECONDS: "1",
        ...env,
      },
      { port },
    );
    expect(server.url).toBe(`http://127.0.0.1:${port}`);
    return { server, databaseFile: tmp.file, outboxFile, cleanup: tmp.cleanup };
  } catch (error) {
    await server?.stop();
    tmp.cleanup();
    throw error;
  }
}

/** Launch Chromium and make sure test-results/ exists. */
export async function launchBrowser(): Promise<Browser> {
  const browser = await launchChromium();
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  return browser;
}

export interface PageHelpers {
  /** The address of `p` on the running server. */
  url: (p: string) => string;
  /** Run `run` on a page of a fresh context (French locale), closed afterwards. */
  withPage: <T>(
    options: { javaScriptEnabled?: boolean },
    run: (page: Page, context: BrowserContext) => Promise<T>,
  ) => Promise<T>;
}

/**
 * `url` and `withPage` for the server and browser a test file starts in its beforeAll (read when
 * called); `defaultTimeout` sets each context's default time limit for playwright's actions.
 */
export function pageHelpers(env: {
  server: () => RunningServer;
  browser: () => Browser;
  defaultTimeout?: number;
}): PageHelpers {
  return {
    url(p) {
      return `${env.server().url}${p}`;
    },
    async withPage(options, run) {
      const context = await env
        .browser()
        .newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true, locale: "fr-FR" });
      if (env.defaultTimeout !== undefined) context.setDefaultTimeout(env.defaultTimeout);
      const page = await context.newPage();
      try {
        return await run(page, context);
      } finally {
        await context.close();
      }
    },
  };
}

/** Wait until React has hydrated the document (event handlers attached). */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const w = window as unknown as { __remixRouter?: unknown };
    const link = document.querySelector("header nav a");
    return (
      Boolean(w.__remixRouter) && link !== null && Object.keys(link).some((k) => k.startsWith("__reactProps"))
    );
  });
}

/** Spaces of any kind (U+00A0, U+202F…) as plain spaces, trimmed. */
export function normalize(text: string | null | undefined): string {
  return (text ?? "").replace(/[\u00a0\u202f\s]+/g, " ").trim();
}

/** The same as formatEuros: « 25 € » with U+00A0 before €, « 1 000 € » with U+202F between thousands. */
export function euros(cents: number): string {
  const whole = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 }).format(Math.trunc(cents / 100));
  const rest = cents % 100;
  return `${whole}${rest === 0 ? "" : "," + String(rest).padStart(2, "0")}${NBSP}€`;
}

/** The main navigation of the header. */
export function mainNav(page: Page) {
  return page.getByRole("navigation", { name: "Navigation principale" });
}

/** A POST to this route: the document's own (without JavaScript) or Remix's single-fetch « .data » request. */
export function isActionOf(address: string, pathname: string): boolean {
  const p = new URL(address).pathname;
  return p === pathname || p === `${pathname}.data`;
}

/** The sign-in e-mails to `email` in the outbox file. */
export function signInMessagesTo(outboxFile: string, email: string): OutboxMessage[] {
  return readOutbox(outboxFile).filter((m) => m.to.includes(email) && SIGN_IN_SUBJECT.test(m.subject));
}

/** The 6 digits that end the subject. */
export function codeOf(message: OutboxMessage): string {
  const code = SIGN_IN_SUBJECT.exec(message.subject)?.[1];
  if (!code) throw new Error(`not a sign-in subject: ${message.subject}`);
  return code;
}

/** The sign-in link (…/connexion/verifier?jeton=…) of the e-mail's HTML. */
export function linkOf(message: OutboxMessage): string {
  const href = /href="([^"]*\/connexion\/verifier\?jeton=[^"]+)"/.exec(message.html ?? "")?.[1];
  if (!href) throw new Error(`no sign-in link in the e-mail:\n${message.html}`);
  return href.replace(/&amp;/g, "&");
}

export function formatViolations(
  violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown }> }>,
): string {
  return violations
    .map((v) => {
      const targets = v.nodes.map((n) => `      - ${JSON.stringify(n.target)}`).join("\n");
      return `  ${v.id} (${v.impact ?? "?"}): ${v.help}\n${targets}`;
    })
    .join("\n");
}

/** Run axe on the page with the WCAG 2.1 A and AA rules. */
export function analyzeAxe(page: Page) {
  return new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
}

/**
 * Screenshot the whole page to test-results/`screenshot`, run axe, expect no violation (the
 * message names `where()`) and at least one rule passed (axe actually ran rules on this page).
 */
export async function expectNoAxeViolations(
  page: Page,
  screenshot: string,
  where: () => string,
): Promise<void> {
  await page.screenshot({ path: path.join(RESULTS_DIR, screenshot), fullPage: true });
  const results = await analyzeAxe(page);
  expect(
    results.violations,
    `axe violations on ${where()}:\n${formatViolations(results.violations)}`,
  ).toEqual([]);
  // axe actually ran rules on this page
  expect(results.passes.length).toBeGreaterThan(0);
}

/** expectNoAxeViolations with the screenshot axe-`prefix`-`name`.png, the message naming `name` and the page's address. */
export function axeChecker(prefix: string): (page: Page, name: string) => Promise<void> {
  return (page, name) =>
    expectNoAxeViolations(page, `axe-${prefix}-${name}.png`, () => `${name} (${page.url()})`);
}
