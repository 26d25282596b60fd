/** Campaign images, from the file storage only, under names the platform chose. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { readCampaignImage } from "~/holder/images.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const bytes = await readCampaignImage(params.file ?? "");
  if (!bytes)
    return new Response("Image introuvable.", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "image/webp",
      "Content-Length": String(bytes.length),
      // Names are random and never reused: cache for good.
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
