/** The holder's « Reçus fiscaux » page and its files: which structure and year, checked for ownership. */
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { parisYear } from "~/domain/time";
import { holderReceiptStructures, idParam } from "./access.server";

/** The signed-in holder, their structure (?structure=, else the first) and year (?annee=, else the latest). */
export async function holderYearScope(request: Request) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const structures = await holderReceiptStructures(database().db, user.id);
  const wanted = url.searchParams.get("structure");
  const wantedId = wanted === null || wanted === "" ? null : idParam(wanted);
  if (wanted && wantedId === null) throw new Response("Structure inconnue.", { status: 400 });
  const structure = wantedId === null ? structures[0] : structures.find((s) => s.id === wantedId);
  if (wantedId !== null && !structure) throw new Response("Structure introuvable.", { status: 404 });
  const yearText = url.searchParams.get("annee");
  let year = structure?.years[0] ?? parisYear(new Date());
  if (yearText) {
    if (!/^\d{4}$/.test(yearText)) throw new Response("Année inconnue.", { status: 400 });
    year = Number(yearText);
  }
  return { user, structures, structure, year };
}
