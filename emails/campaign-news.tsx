/** A holder's news (« actualité »), sent to the campaign's contributors, with an unsubscribe link. */
import { Link, Text } from "@react-email/components";
import { EmailLayout, q } from "./layout";
import * as s from "./styles";

export interface CampaignNewsProps {
  campaignTitle: string;
  campaignUrl: string;
  newsTitle: string;
  /** already sanitised HTML rendered from the holder's Markdown */
  bodyHtml: string;
  unsubscribeUrl: string;
}

export function campaignNewsSubject(props: Pick<CampaignNewsProps, "campaignTitle" | "newsTitle">): string {
  return `${props.newsTitle} — des nouvelles de ${q(props.campaignTitle)}`;
}

export default function CampaignNews(props: CampaignNewsProps) {
  return (
    <EmailLayout
      title={campaignNewsSubject(props)}
      preview={`Des nouvelles de ${props.campaignTitle}`}
      heading={props.newsTitle}
      footer={
        <Text style={s.footer}>
          Vous recevez ce message parce que vous avez soutenu {q(props.campaignTitle)}.{" "}
          <Link href={props.unsubscribeUrl} style={s.link}>
            Ne plus recevoir les actualités de ce projet
          </Link>
          .
        </Text>
      }
    >
      <div dangerouslySetInnerHTML={{ __html: props.bodyHtml }} style={s.text} />
      <Text style={s.text}>
        <Link href={props.campaignUrl} style={s.link}>
          Voir la page du projet
        </Link>
      </Text>
    </EmailLayout>
  );
}

CampaignNews.PreviewProps = {
  campaignTitle: "Une épicerie solidaire à Liévin",
  campaignUrl: "http://localhost:3000/campagnes/epicerie-lievin",
  newsTitle: "Les travaux commencent\u202f!",
  bodyHtml: "<p>Merci à toutes et à tous\u00a0: les rayonnages arrivent lundi.</p>",
  unsubscribeUrl: "http://localhost:3000/desabonnement?jeton=exemple",
} satisfies CampaignNewsProps;
