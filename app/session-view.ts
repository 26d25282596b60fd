/**
 * What every page shows of the signed-in visitor: the header's links (« Mon compte », the
 * Département's space for staff). The root loader gives it as one JSON string (`session`), so
 * that a cached page can be served to a signed-in visitor with it spliced in
 * (app/page-splice.server.ts, docs/decisions/034-money-splicing.md).
 */
export interface SessionView {
  email: string;
  role: string;
}

/** The root loader's `session` for `user` (null: anonymous); one writer, so equal views are equal strings. */
export function sessionJson(user: SessionView | null): string {
  return JSON.stringify(user ? { email: user.email, role: user.role } : null);
}

export function readSession(json: string | undefined): SessionView | null {
  return json ? (JSON.parse(json) as SessionView | null) : null;
}
