/**
 * « Partager ce projet »: the page's address to copy (a read-only field; with
 * JavaScript, a « Copier le lien » button too) and plain share links. No
 * third-party script: each link opens the service's own share page.
 */
import { useRouteLoaderData } from "@remix-run/react";
import { useEffect, useId, useState } from "react";
import { absoluteUrl } from "~/seo/meta";
import { shareLinks } from "~/seo/share";

export function ShareLinks({
  path,
  title,
  heading = "Partager ce projet",
  headingLevel = 2,
}: {
  /** the public page's path, e.g. /campagnes/mon-projet */
  path: string;
  /** the campaign's title */
  title: string;
  heading?: string;
  headingLevel?: 2 | 3;
}) {
  const root = useRouteLoaderData<{ publicUrl?: string }>("root");
  const url = absoluteUrl(root?.publicUrl ?? "", path);
  const id = useId();
  const [scripted, setScripted] = useState(false);
  const [copied, setCopied] = useState<"" | "ok" | "failed">("");
  useEffect(() => setScripted(true), []);
  const Heading = headingLevel === 2 ? "h2" : "h3";

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied("ok");
    } catch {
      setCopied("failed");
    }
  }

  return (
    <section className="share" aria-labelledby={`${id}-title`}>
      <Heading id={`${id}-title`} className="share__title">
        {heading}
      </Heading>
      <div className="share__copy">
        <label htmlFor={`${id}-url`}>Adresse du projet</label>
        <div className="share__copy-row">
          <input
            id={`${id}-url`}
            type="url"
            readOnly
            value={url}
            className="share__url"
            onFocus={(e) => e.currentTarget.select()}
          />
          {scripted ? (
            <button type="button" className="button button--secondary" onClick={() => void copy()}>
              Copier le lien
            </button>
          ) : null}
        </div>
        <p className="share__status" role="status">
          {copied === "ok"
            ? "Lien copié."
            : copied === "failed"
              ? "La copie n’a pas fonctionné\u00a0: sélectionnez l’adresse ci-dessus et copiez-la."
              : ""}
        </p>
      </div>
      <ul className="share__links">
        {shareLinks(url, title).map((l) => (
          <li key={l.service}>
            {l.newWindow ? (
              <a
                href={l.href}
                target="_blank"
                rel="noopener noreferrer"
                className={`share__link share__link--${l.service}`}
              >
                <span className="visually-hidden">Partager sur </span>
                {l.label}
                <span className="visually-hidden"> (nouvelle fenêtre)</span>
              </a>
            ) : (
              <a href={l.href} className={`share__link share__link--${l.service}`}>
                {l.label}
              </a>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
