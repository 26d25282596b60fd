import { database } from "~/db.server";
import { figuresOpenData } from "~/models/open-data.server";

export async function loader() {
  return new Response(JSON.stringify(await figuresOpenData(database().db), null, 2), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-cache" },
  });
}
