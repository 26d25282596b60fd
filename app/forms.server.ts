/** Reading a submitted form: a body that is not a form is a 400, never a 500. */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw new Response("Requête invalide : un formulaire était attendu.", { status: 400 });
  }
}
