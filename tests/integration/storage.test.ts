/**
 * Uploads storage: the local-disk default and the S3-compatible option, the latter through
 * aws4fetch with msw answering at the HTTP boundary as an S3 service would.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LocalDiskStorage, S3Storage } from "~/storage.server";

const objects = new Map<string, { body: Buffer; type: string | null }>();
const seen: Array<{ method: string; url: string; authorization: string | null; sha256: string | null }> = [];
const ENDPOINT = "https://s3.fr-par.example.test";

const server = setupServer(
  http.put(`${ENDPOINT}/:bucket/*`, async ({ request }) => {
    seen.push({
      method: "PUT",
      url: request.url,
      authorization: request.headers.get("authorization"),
      sha256: request.headers.get("x-amz-content-sha256"),
    });
    objects.set(new URL(request.url).pathname, {
      body: Buffer.from(await request.arrayBuffer()),
      type: request.headers.get("content-type"),
    });
    return new HttpResponse(null, { status: 200, headers: { ETag: '"x"' } });
  }),
  http.get(`${ENDPOINT}/:bucket/*`, ({ request }) => {
    seen.push({
      method: "GET",
      url: request.url,
      authorization: request.headers.get("authorization"),
      sha256: request.headers.get("x-amz-content-sha256"),
    });
    const o = objects.get(new URL(request.url).pathname);
    if (!o)
      return new HttpResponse("<Error><Code>NoSuchKey</Code></Error>", {
        status: 404,
        headers: { "Content-Type": "application/xml" },
      });
    return new HttpResponse(new Uint8Array(o.body), {
      status: 200,
      headers: { "Content-Type": o.type ?? "application/octet-stream" },
    });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  objects.clear();
  seen.length = 0;
});
afterAll(() => server.close());

describe("S3-compatible storage", () => {
  const s3 = new S3Storage({
    endpoint: ENDPOINT,
    region: "fr-par",
    bucket: "propulsons-images",
    accessKeyId: "SCWKEY",
    secretAccessKey: "secret",
  });

  it("puts an object in the bucket (path style), signed with AWS Signature V4, and reads it back byte for byte", async () => {
    const bytes = Buffer.from([0x52, 0x49, 0x46, 0x46, 0x00, 0xff, 0x10]);
    await s3.put("campagnes/c12-0123456789abcdef.webp", bytes, "image/webp");
    expect(seen[0]!.url).toBe(`${ENDPOINT}/propulsons-images/campagnes/c12-0123456789abcdef.webp`);
    expect(seen[0]!.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=SCWKEY\/\d{8}\/fr-par\/s3\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/,
    );
    // the body's hash is sent and signed
    expect(seen[0]!.sha256).toBe(crypto.createHash("sha256").update(bytes).digest("hex"));
    expect(seen[0]!.authorization).toMatch(/SignedHeaders=[^,]*x-amz-content-sha256/);
    expect(objects.get("/propulsons-images/campagnes/c12-0123456789abcdef.webp")?.type).toBe("image/webp");
    const back = await s3.get("campagnes/c12-0123456789abcdef.webp");
    expect(back).not.toBeNull();
    expect(Buffer.compare(back!, bytes)).toBe(0);
  });

  it("answers null for a missing object, and throws on a service error", async () => {
    expect(await s3.get("campagnes/absent.webp")).toBeNull();
    server.use(
      http.put(
        `${ENDPOINT}/:bucket/*`,
        () => new HttpResponse("<Error><Code>AccessDenied</Code></Error>", { status: 403 }),
      ),
    );
    await expect(s3.put("campagnes/x.webp", Buffer.from("x"), "image/webp")).rejects.toThrow(/HTTP 403/);
  });
});

describe("local-disk storage", () => {
  it("writes under the root and reads back; a missing file is null", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "propulsons-storage-"));
    try {
      const local = new LocalDiskStorage(root);
      await local.put("campagnes/c1-aaaaaaaaaaaaaaaa.webp", Buffer.from("abc"), "image/webp");
      expect(fs.readFileSync(path.join(root, "campagnes", "c1-aaaaaaaaaaaaaaaa.webp"), "utf8")).toBe("abc");
      expect((await local.get("campagnes/c1-aaaaaaaaaaaaaaaa.webp"))?.toString()).toBe("abc");
      expect(await local.get("campagnes/nope.webp")).toBeNull();
      // no temporary file left behind
      expect(fs.readdirSync(path.join(root, "campagnes"))).toEqual(["c1-aaaaaaaaaaaaaaaa.webp"]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
