/** Any URL that matches no route: a French 404. */
export async function loader() {
  throw new Response("Page introuvable.", { status: 404 });
}

export default function NotFound() {
  return null;
}
