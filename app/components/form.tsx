/**
 * The form toolkit: every form of the platform builds its fields, their messages and its error
 * summary here, so that a screen reader hears every form the same way.
 *
 * One id scheme (docs/decisions/021-one-form-toolkit-and-email-registry.md): a field has an `id`
 * (a short prefix for the form and the field's name: « c-montant »); its hint is `${id}-hint`, its
 * error `${id}-error`. The field points to both with aria-describedby (hint first) and says
 * aria-invalid when it has an error. The error summary links to the fields by their id.
 * Plain elements, no state: the forms work without JavaScript.
 */
import { frenchText, NBSP } from "~/domain/typography";
import {
  useEffect,
  useRef,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";
import { formatInteger } from "~/domain/format";

export const hintId = (id: string) => `${id}-hint`;
export const errorId = (id: string) => `${id}-error`;

/** What a field's aria attributes say about it. */
export interface Described {
  /** the field has a hint (rendered with hintId(id)) */
  hint?: boolean;
  /** its own error message, if any */
  error?: string | undefined;
  /** the ids of other messages that concern it too (an error on a group of fields) */
  also?: ReadonlyArray<string | undefined | false>;
}

/** aria-describedby alone, for a group (a fieldset of choices) that carries no aria-invalid. */
export function describedBy(id: string, described: Described): string | undefined {
  return fieldAria(id, described)["aria-describedby"];
}

/** aria-invalid and aria-describedby for the field `id`, the same way in every form. */
export function fieldAria(id: string, { hint, error, also = [] }: Described) {
  const others = also.filter((x): x is string => Boolean(x));
  const ids = [hint ? hintId(id) : undefined, error ? errorId(id) : undefined, ...others].filter(Boolean);
  return {
    "aria-invalid": error || others.length > 0 ? (true as const) : undefined,
    "aria-describedby": ids.length > 0 ? ids.join(" ") : undefined,
  };
}

/** A field's error message, where its aria-describedby points. */
export function FieldError({
  id,
  message,
  alert = false,
}: {
  /** the field's id */
  id: string;
  message: string | undefined | null;
  /** announce it at once (a form of one field, with no summary) */
  alert?: boolean;
}) {
  return message ? (
    <p className="field-error" id={errorId(id)} role={alert ? "alert" : undefined}>
      {frenchText(message)}
    </p>
  ) : null;
}

interface FieldFrame {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  /** ids of other messages that concern the field (see Described.also) */
  alsoDescribedBy?: ReadonlyArray<string | undefined | false>;
  /** announce the error at once (a one-field form without a summary) */
  errorAlert?: boolean;
}

function Frame({ id, label, hint, error, errorAlert, children }: FieldFrame & { children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? (
        <p className="hint" id={hintId(id)}>
          {hint}
        </p>
      ) : null}
      <FieldError id={id} message={error} alert={errorAlert} />
    </div>
  );
}

type Own = keyof FieldFrame | "children";

/** A labelled input with its hint and its error. */
export function Field(props: FieldFrame & Omit<InputHTMLAttributes<HTMLInputElement>, Own>) {
  const { id, label, hint, error, alsoDescribedBy, errorAlert, ...input } = props;
  return (
    <Frame id={id} label={label} hint={hint} error={error} errorAlert={errorAlert}>
      <input id={id} {...input} {...fieldAria(id, { hint: Boolean(hint), error, also: alsoDescribedBy })} />
    </Frame>
  );
}

/** A labelled textarea with its hint and its error. */
export function TextArea(props: FieldFrame & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, Own>) {
  const { id, label, hint, error, alsoDescribedBy, errorAlert, ...textarea } = props;
  return (
    <Frame id={id} label={label} hint={hint} error={error} errorAlert={errorAlert}>
      <textarea
        id={id}
        {...textarea}
        {...fieldAria(id, { hint: Boolean(hint), error, also: alsoDescribedBy })}
      />
    </Frame>
  );
}

/** A labelled select with its hint and its error; the options are its children. */
export function Select(
  props: FieldFrame & Omit<SelectHTMLAttributes<HTMLSelectElement>, Own> & { children: ReactNode },
) {
  const { id, label, hint, error, alsoDescribedBy, errorAlert, children, ...select } = props;
  return (
    <Frame id={id} label={label} hint={hint} error={error} errorAlert={errorAlert}>
      <select id={id} {...select} {...fieldAria(id, { hint: Boolean(hint), error, also: alsoDescribedBy })}>
        {children}
      </select>
    </Frame>
  );
}

/** A checkbox, its label beside it, its hint under the label. */
export function Checkbox(
  props: {
    id: string;
    label: ReactNode;
    hint?: ReactNode;
    /** « choice » in a form, « field field--checkbox » in a row of filters */
    frame?: "choice" | "filter";
  } & Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "type" | "children">,
) {
  const { id, label, hint, frame = "choice", ...input } = props;
  const box = <input id={id} type="checkbox" {...input} {...fieldAria(id, { hint: Boolean(hint) })} />;
  return (
    <div className={frame === "filter" ? "field field--checkbox" : "choice"}>
      {box}
      {hint ? (
        <div>
          <label htmlFor={id}>{label}</label>
          <p className="hint" id={hintId(id)}>
            {hint}
          </p>
        </div>
      ) : (
        <label htmlFor={id}>{label}</label>
      )}
    </div>
  );
}

export interface SummaryEntry {
  /** the id of the field the entry leads to */
  target: string;
  message: string;
  /** the field's name as its label says it; left out when the message already starts with it */
  label?: string;
}

/** « Montant : 5 € au moins », but « Montant invalide : … » alone: the summary never says a name twice. */
export function summaryText({ label, message }: Pick<SummaryEntry, "label" | "message">): string {
  if (!label) return message;
  const fold = (s: string) =>
    s
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLocaleLowerCase("fr");
  return fold(message).startsWith(fold(label)) ? message : `${label}${NBSP}: ${message}`;
}

/**
 * The list of a form's errors, above the form: announced (role="alert"), focusable, each entry a
 * link to its field. Renders nothing without entries.
 */
export function ErrorSummary({
  entries,
  heading: Heading = "h2",
  message,
}: {
  entries: readonly SummaryEntry[];
  /** the heading's level under the page's structure */
  heading?: "h2" | "h3";
  /**
   * The form's own message (a refusal that concerns no field, or « Le formulaire contient des
   * erreurs. » said by the server), in place of the heading; the summary shows even without entries.
   */
  message?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const shown = entries.length > 0 || Boolean(message);
  const what = `${message ?? ""}|${entries.map((e) => `${e.target}:${e.message}`).join("|")}`;
  // With JavaScript, the summary takes the focus (and so comes into view) each time it changes.
  useEffect(() => {
    if (shown) ref.current?.focus();
  }, [shown, what]);
  if (!shown) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref}>
      {message ? (
        <p>{frenchText(message)}</p>
      ) : (
        <Heading>
          Le formulaire contient{" "}
          {entries.length === 1 ? "une erreur" : `${formatInteger(entries.length)} erreurs`}
        </Heading>
      )}
      {entries.length > 0 ? (
        <ul>
          {entries.map((e) => (
            <li key={e.target + e.message}>
              <a href={`#${e.target}`}>{frenchText(summaryText(e))}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
