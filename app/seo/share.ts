/**
 * Share links: plain links to each service's own share page (no third-party script,
 * no tracker, no counter). Every parameter is URL-encoded.
 */
export interface ShareLink {
  service: "email" | "facebook" | "linkedin" | "whatsapp" | "x";
  /** the visible name */
  label: string;
  href: string;
  /** opens in a new window (the e-mail link opens the reader's mail program) */
  newWindow: boolean;
}

export function shareLinks(url: string, title: string): ShareLink[] {
  const u = encodeURIComponent(url);
  const text = `${title} — un projet à soutenir sur Propulsons`;
  return [
    {
      service: "email",
      label: "Envoyer par courriel",
      href: `mailto:?subject=${encodeURIComponent(text)}&body=${encodeURIComponent(`${title}\n\n${url}`)}`,
      newWindow: false,
    },
    {
      service: "facebook",
      label: "Facebook",
      href: `https://www.facebook.com/sharer/sharer.php?u=${u}`,
      newWindow: true,
    },
    {
      service: "linkedin",
      label: "LinkedIn",
      href: `https://www.linkedin.com/sharing/share-offsite/?url=${u}`,
      newWindow: true,
    },
    {
      service: "whatsapp",
      label: "WhatsApp",
      href: `https://wa.me/?text=${encodeURIComponent(`${text} ${url}`)}`,
      newWindow: true,
    },
    {
      service: "x",
      label: "X",
      href: `https://x.com/intent/post?text=${encodeURIComponent(text)}&url=${u}`,
      newWindow: true,
    },
  ];
}
