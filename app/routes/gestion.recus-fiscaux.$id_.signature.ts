/** Staff: a structure's signature image, to check it before verifying the declaration. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { profileOf } from "~/receipts-forms/profiles.server";
import { readSignature, signatureResponse } from "~/receipts-forms/signature.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ["staff"]);
  const id = Number(params.id);
  if (!/^\d{1,9}$/.test(params.id ?? "")) return signatureResponse(null);
  const p = await profileOf(database().db, id);
  return signatureResponse(p?.signature_path ? await readSignature(p.signature_path) : null);
}
