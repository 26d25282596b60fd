/**
 * « Valeur de la contrepartie (€) » in the holder's campaign editor, with the two checks of a
 * reward (more than 25 % of its minimum, more than the yearly cap per donor) and what they mean
 * for the donor's tax receipt. The warnings are computed on the server from the saved values and
 * again live in the browser as the holder types the value or the minimum.
 */
import { NBSP } from "~/domain/typography";
import { useEffect, useState } from "react";
import { Field } from "~/components/form";
import { formatEuros } from "~/domain/format";
import { parseEurosToCents } from "~/domain/money";
import { checkReward } from "~/domain/tax-receipts";

/** The warning for a reward, or null when it passes both checks (or a figure is not readable). */
export function rewardWarning(value: string, minimum: string, yearlyCapCents: number): string | null {
  const valueCents = value.trim() === "" ? 0 : parseEurosToCents(value);
  const minimumCents = parseEurosToCents(minimum);
  if (valueCents === null || minimumCents === null || valueCents === 0) return null;
  const check = checkReward(valueCents, minimumCents, yearlyCapCents);
  if (!check.overQuarter && !check.overCap) return null;
  const why = [
    check.overQuarter ? `plus de 25\u00a0% du montant minimum (${formatEuros(minimumCents)})` : null,
    check.overCap ? `plus que le plafond annuel de ${formatEuros(yearlyCapCents)} par donateur` : null,
  ]
    .filter(Boolean)
    .join(" et ");
  return `Cette contrepartie vaut ${why}. Le reçu fiscal du donateur ne porte que sur son don moins cette valeur, et l’administration fiscale peut refuser la réduction d’impôt quand la contrepartie est disproportionnée.`;
}

export function RewardValueField({
  index,
  defaultValue,
  minimumFieldId,
  yearlyCapCents,
  savedMinimum,
  error,
}: {
  index: number;
  defaultValue: string;
  /** the id of the reward's minimum field, read live */
  minimumFieldId: string;
  yearlyCapCents: number;
  /** the minimum as rendered (the saved one, or the one sent back with errors) */
  savedMinimum: string;
  error?: string;
}) {
  const [value, setValue] = useState(defaultValue);
  const [minimum, setMinimum] = useState(savedMinimum);
  useEffect(() => {
    const input = document.getElementById(minimumFieldId) as HTMLInputElement | null;
    if (!input) return;
    const read = () => setMinimum(input.value);
    input.addEventListener("input", read);
    return () => input.removeEventListener("input", read);
  }, [minimumFieldId]);
  const warning = rewardWarning(value, minimum, yearlyCapCents);
  const id = `e-cp_${index}_valeur`;
  return (
    <div className="reward-value">
      <Field
        id={id}
        label={`Contrepartie ${index + 1}${NBSP}: valeur de la contrepartie (€)`}
        name={`cp_${index}_valeur`}
        inputMode="decimal"
        defaultValue={defaultValue}
        onInput={(e) => setValue(e.currentTarget.value)}
        error={error}
        hint="Ce que vaut la contrepartie pour le donateur (son prix de revient ou de vente), 0 ou vide si elle n’a pas de valeur marchande. Elle est déduite du montant de son reçu fiscal."
      />
      <p className="reward-value__warning" id={`${id}-warning`} aria-live="polite">
        {warning}
      </p>
    </div>
  );
}
