/**
 * Where uploaded files live: a small interface with two implementations.
 * - Local disk (default): UPLOADS_DIR. Enough for one server, or several sharing a volume.
 * - S3-compatible object storage (STORAGE=s3: Scaleway, OVHcloud, Outscale, MinIO, AWS…): every
 *   app server reads and writes the same bucket. Requests are signed with AWS Signature V4 by
 *   aws4fetch; the bucket stays private, the app serves the images itself.
 * Keys are names the platform chose (never user input), e.g. « campagnes/c12-….webp ».
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AwsClient } from "aws4fetch";
import { config, type S3Settings } from "~/config.server";

export interface FileStorage {
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** the bytes, or null when there is no such file */
  get(key: string): Promise<Buffer | null>;
}

export class LocalDiskStorage implements FileStorage {
  constructor(private readonly root: string) {}

  private file(key: string): string {
    return path.join(path.resolve(this.root), ...key.split("/"));
  }

  async put(key: string, bytes: Buffer, _contentType?: string): Promise<void> {
    const file = this.file(key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Write then rename: a reader never sees half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, file);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return fs.readFileSync(this.file(key));
    } catch {
      return null;
    }
  }
}

export class S3Storage implements FileStorage {
  private readonly client: AwsClient;
  constructor(private readonly s3: S3Settings) {
    this.client = new AwsClient({
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      region: s3.region,
      service: "s3",
    });
  }

  /** Path-style URL (works with every S3-compatible service): https://endpoint/bucket/key */
  private url(key: string): string {
    return `${this.s3.endpoint.replace(/\/+$/, "")}/${encodeURIComponent(this.s3.bucket)}/${key.split("/").map(encodeURIComponent).join("/")}`;
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    // The body's SHA-256 is signed too: the service refuses a body altered on the way.
    const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
    const res = await this.client.fetch(this.url(key), {
      method: "PUT",
      body: new Uint8Array(bytes),
      headers: { "Content-Type": contentType, "X-Amz-Content-Sha256": sha256 },
    });
    if (!res.ok) throw new Error(`S3 PUT ${key}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  }

  async get(key: string): Promise<Buffer | null> {
    const res = await this.client.fetch(this.url(key), { method: "GET" });
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`S3 GET ${key}: HTTP ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }
}

let current: { settingsKey: string; storage: FileStorage } | undefined;

/** The configured storage (STORAGE=local | s3). */
export function storage(): FileStorage {
  const cfg = config();
  const settingsKey = cfg.s3 ? `s3:${cfg.s3.endpoint}/${cfg.s3.bucket}` : `local:${cfg.uploadsDir}`;
  if (current?.settingsKey !== settingsKey) {
    current = { settingsKey, storage: cfg.s3 ? new S3Storage(cfg.s3) : new LocalDiskStorage(cfg.uploadsDir) };
  }
  return current.storage;
}
