/**
 * Sign-in e-mail: a one-time link and a 6-digit code, either works, once,
 * for 15 minutes. Sent at once (never stored in the outbox: it carries a secret).
 */
import { NBSP } from "~/domain/typography";
import { Link, Text } from "@react-email/components";
import { EmailLayout } from "./layout";
import * as s from "./styles";

export interface SignInProps {
  /** absolute URL that signs in */
  link: string;
  /** 6 digits */
  code: string;
  validMinutes: number;
}

export function signInSubject(props: Pick<SignInProps, "code">): string {
  return `Votre code de connexion à Propulsons${NBSP}: ${props.code}`;
}

export default function SignIn(props: SignInProps) {
  const { link, code, validMinutes } = props;
  return (
    <EmailLayout
      title={signInSubject(props)}
      preview={`Votre code de connexion${NBSP}: ${code}. Il est valable ${validMinutes} minutes.`}
      heading="Connexion à Propulsons"
    >
      <Text style={s.text}>Bonjour,</Text>
      <Text style={s.text}>Pour vous connecter, utilisez ce lien&nbsp;:</Text>
      <Text style={s.text}>
        <Link href={link} style={s.link}>
          Me connecter à Propulsons
        </Link>
      </Text>
      <Text style={s.text}>ou saisissez ce code sur la page de connexion&nbsp;:</Text>
      <Text style={{ ...s.text, fontSize: "28px", fontWeight: 700, letterSpacing: "0.2em" }}>{code}</Text>
      <Text style={s.notice}>
        Le lien et le code sont valables {validMinutes} minutes et ne servent qu’une fois. Si vous n’avez pas
        demandé à vous connecter, ignorez ce message&nbsp;: personne ne peut accéder à votre compte sans lui.
      </Text>
    </EmailLayout>
  );
}

SignIn.PreviewProps = {
  link: "http://localhost:3000/connexion/verifier?jeton=exemple",
  code: "123456",
  validMinutes: 15,
} satisfies SignInProps;
