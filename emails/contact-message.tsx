/**
 * Sent to the platform's team (CONTACT_EMAIL) when someone writes through the « Contact » form
 * (app/legal/contact.server.ts). The message is also kept in contact_messages; answering is done
 * from the team's mailbox, to the address the person gave.
 */
import { NBSP } from "~/domain/typography";
import { Link, Text } from "@react-email/components";
import { Detail, DetailsBox, EmailLayout, q } from "./layout";
import * as s from "./styles";

export interface ContactMessageProps {
  /** the sender's name as they wrote it */
  name: string;
  /** the address to answer to */
  email: string;
  /** the subject chosen in the form (its French label) */
  subject: string;
  message: string;
  /** the message's number in contact_messages */
  reference: number;
}

export function contactMessageSubject(props: Pick<ContactMessageProps, "subject" | "name">): string {
  return `Message de contact${NBSP}: ${props.subject} (${props.name})`;
}

export default function ContactMessage(props: ContactMessageProps) {
  const { name, email, subject, message, reference } = props;
  return (
    <EmailLayout
      title={contactMessageSubject(props)}
      preview={`${name} a écrit via le formulaire de contact${NBSP}: ${q(subject)}.`}
      heading="Nouveau message de contact"
    >
      <Text style={s.text}>Un message a été envoyé via le formulaire de contact de la plateforme.</Text>
      <DetailsBox title="Le message">
        <Detail label="De&nbsp;:"> {name}</Detail>
        <Detail label="Adresse&nbsp;:">
          {" "}
          <Link href={`mailto:${email}`} style={s.link}>
            {email}
          </Link>
        </Detail>
        <Detail label="Objet&nbsp;:"> {subject}</Detail>
        <Detail label="Référence&nbsp;:" last>
          {" "}
          {`contact n°\u00a0${reference}`}
        </Detail>
      </DetailsBox>
      <Text style={{ ...s.quote, whiteSpace: "pre-wrap" }}>{message}</Text>
      <Text style={s.notice}>
        Répondez directement à l’adresse de la personne. Ce message est conservé dans la base de la plateforme
        puis supprimé automatiquement à la fin de la durée de conservation indiquée dans la politique de
        confidentialité.
      </Text>
    </EmailLayout>
  );
}

ContactMessage.PreviewProps = {
  name: "Claire Dupont",
  email: "claire.dupont@example.org",
  subject: "Une question sur une contribution",
  message: "Bonjour,\nJe n’ai pas reçu mon reçu de contribution.\nMerci\u202f!",
  reference: 42,
} satisfies ContactMessageProps;
