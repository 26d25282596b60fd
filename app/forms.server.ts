/** Reading a submitted form: a body that is not a form is a 400, never a 500. */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw new Response("Requête invalide\u00a0: un formulaire était attendu.", { status: 400 });
  }
}

/** A submitted field's text ("" when absent or a file); line breaks as \n whatever the browser sent. */
export function field(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === "string" ? v.replace(/\r\n?/g, "\n") : "";
}
