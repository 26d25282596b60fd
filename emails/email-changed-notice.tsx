/** Sent to the OLD address once a change of e-mail address is confirmed (app/account). */
import { Text } from "@react-email/components";
import { EmailLayout } from "./layout";
import * as s from "./styles";

export interface EmailChangedNoticeProps {
  /** the new address, partly hidden (« c•••@exemple.fr ») */
  newEmailHint: string;
  contactEmail: string;
}

export function emailChangedNoticeSubject(): string {
  return "L’adresse de votre compte Propulsons a changé";
}

export default function EmailChangedNotice(props: EmailChangedNoticeProps) {
  return (
    <EmailLayout
      title={emailChangedNoticeSubject()}
      preview="Votre compte utilise désormais une autre adresse."
      heading="Adresse changée"
    >
      <Text style={s.text}>Bonjour,</Text>
      <Text style={s.text}>
        Votre compte Propulsons utilise désormais l’adresse {props.newEmailHint}. Vos contributions et vos
        reçus l’ont suivie. Cette adresse-ci ne sert plus à vous connecter.
      </Text>
      <Text style={s.notice}>
        Si vous n’êtes pas à l’origine de ce changement, écrivez-nous sans attendre à {props.contactEmail}.
      </Text>
    </EmailLayout>
  );
}

EmailChangedNotice.PreviewProps = {
  newEmailHint: "c•••@exemple.fr",
  contactEmail: "contact@propulsons.example",
} satisfies EmailChangedNoticeProps;
