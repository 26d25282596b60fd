/**
 * Changing one's e-mail address: the code sent to the NEW address (app/account). Sent at once, never
 * stored (it carries a secret). When the address already belongs to another account, this message
 * says so to its owner instead, and the person who asked learns nothing (no code works).
 */
import { NBSP } from "~/domain/typography";
import { Text } from "@react-email/components";
import { EmailLayout } from "./layout";
import * as s from "./styles";

export interface EmailChangeCodeProps {
  /** 6 digits; empty when the address is taken */
  code: string;
  validMinutes: number;
  /** the address already belongs to another account: nothing will change */
  taken: boolean;
}

export function emailChangeCodeSubject(props: Pick<EmailChangeCodeProps, "code" | "taken">): string {
  return props.taken
    ? "Propulsons\u00a0: une demande concernant votre adresse"
    : `Votre code pour changer d’adresse sur Propulsons${NBSP}: ${props.code}`;
}

export default function EmailChangeCode(props: EmailChangeCodeProps) {
  const { code, validMinutes, taken } = props;
  if (taken)
    return (
      <EmailLayout
        title={emailChangeCodeSubject(props)}
        preview="Quelqu’un a demandé à utiliser cette adresse pour son compte."
        heading="Changement d’adresse"
      >
        <Text style={s.text}>Bonjour,</Text>
        <Text style={s.text}>
          Quelqu’un a demandé à utiliser cette adresse pour son compte Propulsons. Elle est déjà celle de
          votre compte, elle ne peut donc servir à un autre compte&nbsp;: rien n’a changé.
        </Text>
        <Text style={s.notice}>Si c’était vous, vous n’avez rien à faire. Sinon, ignorez ce message.</Text>
      </EmailLayout>
    );
  return (
    <EmailLayout
      title={emailChangeCodeSubject(props)}
      preview={`Votre code${NBSP}: ${code}. Il est valable ${validMinutes}\u00a0minutes.`}
      heading="Changement d’adresse"
    >
      <Text style={s.text}>Bonjour,</Text>
      <Text style={s.text}>
        Pour que cette adresse devienne celle de votre compte Propulsons, saisissez ce code sur la page
        «&nbsp;Changer d’adresse électronique&nbsp;»&nbsp;:
      </Text>
      <Text style={{ ...s.text, fontSize: "28px", fontWeight: 700, letterSpacing: "0.2em" }}>{code}</Text>
      <Text style={s.notice}>
        Le code est valable {validMinutes}&#8239;minutes et ne sert qu’une fois. Si vous n’avez rien demandé,
        ignorez ce message&nbsp;: votre adresse ne sera pas utilisée.
      </Text>
    </EmailLayout>
  );
}

EmailChangeCode.PreviewProps = {
  code: "123456",
  validMinutes: 30,
  taken: false,
} satisfies EmailChangeCodeProps;
