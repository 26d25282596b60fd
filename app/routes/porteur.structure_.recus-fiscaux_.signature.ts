/** The holder's own signature image (tax-receipt declaration), private. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { structuresOf } from "~/holder/structures.server";
import { profileOf } from "~/receipts-forms/profiles.server";
import { readSignature, signatureResponse } from "~/receipts-forms/signature.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const structure = (await structuresOf(database().db, user.id))[0];
  const p = structure ? await profileOf(database().db, structure.id) : undefined;
  return signatureResponse(p?.signature_path ? await readSignature(p.signature_path) : null);
}
