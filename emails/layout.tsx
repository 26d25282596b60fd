/**
 * The frame every email template shares: French document, title (the subject),
 * preview line, brand line, main heading, then the template's content, and the
 * platform footer. Also the small pieces several templates repeat: French
 * quotes and the « details » box.
 */
import { NBSP } from "~/domain/typography";
import type { ReactNode } from "react";
import {
  Body,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Link,
  Preview,
  Section,
  Text,
} from "@react-email/components";
import * as s from "./styles";

/** French quotes with no-break spaces: « value ». */
export const q = (value: string) => `«${NBSP}${value}${NBSP}»`;

export interface EmailLayoutProps {
  /** the document title: the email's subject */
  title: string;
  /** the preview line shown by mail clients */
  preview: string;
  /** the main (h1) heading */
  heading: ReactNode;
  /** footer lines shown before the platform's footer */
  footer?: ReactNode;
  children: ReactNode;
}

export function EmailLayout({ title, preview, heading, footer, children }: EmailLayoutProps) {
  return (
    <Html lang="fr" dir="ltr">
      <Head>
        <title>{title}</title>
      </Head>
      <Preview>{preview}</Preview>
      <Body style={s.body}>
        <Container style={s.container}>
          <Text style={s.brand}>Propulsons</Text>
          <Heading as="h1" style={s.heading}>
            {heading}
          </Heading>
          {children}

          <Hr style={s.hr} />
          {footer}
          <Text style={s.footer}>
            Propulsons, la plateforme de financement participatif des projets de l’économie sociale et
            solidaire du Pas-de-Calais. Ce message vous est envoyé automatiquement&#x202f;; merci de ne pas y
            répondre.
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

/** A boxed summary: a heading (h2) and one `Detail` a line. */
export function DetailsBox({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <Section style={s.detailsBox}>
      <Heading as="h2" style={{ ...s.subheading, marginTop: 0 }}>
        {title}
      </Heading>
      {children}
    </Section>
  );
}

/**
 * One line of a `DetailsBox`: the label in bold, then `children` as written,
 * leading space included (`<Detail label="Montant :"> {amount}</Detail>`), so
 * the text nodes are those of a hand-written line. `last` on the box's last line.
 */
export function Detail({
  label,
  last = false,
  children,
}: {
  label: ReactNode;
  last?: boolean;
  children: ReactNode;
}) {
  return (
    <Text style={last ? { ...s.detail, marginBottom: 0 } : s.detail}>
      <strong>{label}</strong>
      {children}
    </Text>
  );
}

/** A link in the body of a message (the campaign's page, an address to write to). */
export function TextLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link href={href} style={s.link}>
      {children}
    </Link>
  );
}
