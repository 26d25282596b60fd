/**
 * The signer's signature image: PNG or JPEG only (type read from the content), re-encoded to PNG
 * by sharp at most 800 px wide — which drops every metadata —, stored under a random name the
 * platform chooses (app/storage.server.ts, « signatures/… »), served only to its holder and staff.
 */
import crypto from "node:crypto";
import sharp from "sharp";
import { storage } from "~/storage.server";

/** Small enough for the 1 MB form body limit (app/body-limit.server.ts), with room for the fields. */
export const MAX_SIGNATURE_BYTES = 512 * 1024;
export const SIGNATURE_NAME = /^o\d{1,9}-[a-f0-9]{16}\.png$/;

export type SignatureResult = { ok: true; file: string } | { ok: false; message: string };

export async function storeSignature(organizationId: number, bytes: Buffer): Promise<SignatureResult> {
  if (bytes.length === 0) return { ok: false, message: "Ajoutez l’image de la signature (PNG ou JPEG)." };
  if (bytes.length > MAX_SIGNATURE_BYTES)
    return { ok: false, message: "Image trop lourde\u00a0: 512 Ko au plus." };
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch {
    return {
      ok: false,
      message: "Ce fichier n’est pas une image lisible (formats acceptés\u00a0: PNG, JPEG).",
    };
  }
  if (meta.format !== "png" && meta.format !== "jpeg")
    return { ok: false, message: "Format refusé\u00a0: PNG ou JPEG seulement." };
  if (!meta.width || !meta.height || meta.width < 100 || meta.height < 30)
    return { ok: false, message: "Image trop petite\u00a0: 100 × 30 pixels au moins." };
  const file = `o${organizationId}-${crypto.randomBytes(8).toString("hex")}.png`;
  const output = await sharp(bytes)
    .rotate()
    .resize({ width: 800, height: 400, fit: "inside", withoutEnlargement: true })
    .png({ compressionLevel: 9 })
    .toBuffer();
  await storage().put(`signatures/${file}`, output, "image/png");
  return { ok: true, file };
}

export async function readSignature(file: string): Promise<Buffer | null> {
  if (!SIGNATURE_NAME.test(file)) return null;
  return storage().get(`signatures/${file}`);
}

/** The response that serves a signature: private, never cached by a shared cache, never sniffed. */
export function signatureResponse(bytes: Buffer | null): Response {
  if (!bytes)
    return new Response("Image introuvable.", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "image/png",
      "Content-Length": String(bytes.length),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
