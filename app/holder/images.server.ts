/**
 * Campaign images: size limit, type checked from the content (not the name or
 * the declared type), re-encoded to WebP at most 1 600 px wide — which drops
 * EXIF and every other metadata —, stored under a random name the platform
 * chooses in the file storage (UPLOADS_DIR, or an S3-compatible bucket:
 * app/storage.server.ts), served only from there.
 */
import crypto from "node:crypto";
import sharp from "sharp";
import { storage } from "~/storage.server";

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const ALLOWED = new Set(["jpeg", "png", "webp"]);
export const IMAGE_NAME = /^c\d{1,9}-[a-f0-9]{16}\.webp$/;

export type ImageResult = { ok: true; file: string } | { ok: false; message: string };

export async function storeCampaignImage(campaignId: number, bytes: Buffer): Promise<ImageResult> {
  if (bytes.length === 0) return { ok: false, message: "Choisissez une image." };
  if (bytes.length > MAX_IMAGE_BYTES) return { ok: false, message: "Image trop lourde\u00a0: 5 Mo au plus." };
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch {
    return {
      ok: false,
      message: "Ce fichier n’est pas une image lisible (formats acceptés\u00a0: JPEG, PNG, WebP).",
    };
  }
  if (!meta.format || !ALLOWED.has(meta.format))
    return { ok: false, message: "Format refusé\u00a0: JPEG, PNG ou WebP seulement." };
  if (!meta.width || !meta.height || meta.width < 600 || meta.height < 300) {
    return { ok: false, message: "Image trop petite\u00a0: 600 × 300 pixels au moins." };
  }
  const file = `c${campaignId}-${crypto.randomBytes(8).toString("hex")}.webp`;
  const output = await sharp(bytes)
    .rotate()
    .resize({ width: 1600, withoutEnlargement: true })
    .webp({ quality: 82 })
    .toBuffer();
  await storage().put(`campagnes/${file}`, output, "image/webp");
  return { ok: true, file };
}

/** The stored bytes of an image, or null (unknown name, or a name that is not one of ours). */
export async function readCampaignImage(file: string): Promise<Buffer | null> {
  if (!IMAGE_NAME.test(file)) return null;
  return storage().get(`campagnes/${file}`);
}
