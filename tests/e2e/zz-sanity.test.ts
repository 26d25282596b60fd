import AxeBuilder from "@axe-core/playwright";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchChromium } from "../support/browser";
import { tempDatabasePath } from "../support/db";
import { startServer, type RunningServer } from "../support/server";
import type { Browser } from "playwright-core";
let server: RunningServer; let browser: Browser; let cleanup = () => {};
beforeAll(async () => { const t = tempDatabasePath("sanity"); cleanup = t.cleanup; server = await startServer({ DATABASE_PATH: t.file, PAGE_CACHE: "off" }); browser = await launchChromium(); });
afterAll(async () => { await browser.close(); await server.stop(); cleanup(); });
it("sanity", async () => {
  for (const p of ["/", "/campagnes", "/campagnes/ludotheque-itinerante-lievin", "/campagnes/la-salamandre-boulogne", "/campagnes/vrac-en-route-aire-sur-la-lys", "/accessibilite", "/campagnes/nexiste-pas"]) {
    const ctx = await browser.newContext(); const page = await ctx.newPage();
    await page.goto(server.url + p);
    const r = await new AxeBuilder({ page }).withTags(["wcag2a","wcag2aa","wcag21a","wcag21aa"]).analyze();
    console.log(p, "passes", r.passes.map(x=>x.id).join(","), "\n  incomplete", JSON.stringify(r.incomplete.map(x=>({id:x.id, n:x.nodes.map(n=>[n.target, n.any.map(a=>a.message).join("|")])}))));
    await ctx.close();
  }
  const ctx = await browser.newContext(); const page = await ctx.newPage();
  await page.goto(server.url + "/");
  await page.evaluate(() => { document.querySelector("main")!.insertAdjacentHTML("beforeend", '<img src="/favicon.svg"><p style="color:#bbb;background:#fff">faible contraste</p>'); });
  const r = await new AxeBuilder({ page }).withTags(["wcag2a","wcag2aa","wcag21a","wcag21aa"]).analyze();
  console.log("injected:", r.violations.map(v=>v.id));
  expect(r.violations.map(v=>v.id).sort()).toEqual(["color-contrast","image-alt"]);
  await ctx.close();
});
