/**
 * Pictures of the demo campaigns: illustrations drawn from each campaign's theme
 * (a colour, a simple motif, a few shapes placed from the slug; no text), written as
 * SVG, rendered by sharp to WebP at 1 200 × 630 (the sharing format) and stored in
 * the file storage (app/storage.server.ts) like a holder's upload. No network.
 *
 * The file name is derived from the drawing (c<id>-<hash>.webp): a second boot on
 * the same storage finds the file there and does not draw it again.
 */
import crypto from "node:crypto";
import type { Kysely } from "kysely";
import sharp from "sharp";
import { storage } from "../../app/storage.server";
import type { DB } from "../schema";
import { seedCampaigns } from "./campaigns";
import { createRandom } from "./random";
import type { ThemeSlug } from "./types";

export const PICTURE_WIDTH = 1200;
export const PICTURE_HEIGHT = 630;

interface Palette {
  /** background, its French name (for the text alternative), the motif's colour, the accents */
  background: string;
  colourName: string;
  ink: string;
  accents: [string, string];
}

interface Motif {
  palette: Palette;
  /** what is drawn, in French, for the text alternative */
  says: string;
  /** SVG elements, drawn in a 400 × 400 box centred on the picture */
  draw: (ink: string, accent: string) => string;
}

const MOTIFS: Record<ThemeSlug, Motif> = {
  "alimentation-circuits-courts": {
    palette: { background: "#2f6b1f", colourName: "vert", ink: "#fff4d6", accents: ["#f2b33d", "#a8d08d"] },
    says: "un panier garni de fruits et de légumes",
    draw: (ink, accent) =>
      `<path d="M60 200 h280 l-30 150 h-220 z" fill="${ink}"/>` +
      `<path d="M110 200 q90 -150 180 0" fill="none" stroke="${ink}" stroke-width="18"/>` +
      `<circle cx="140" cy="185" r="42" fill="${accent}"/><circle cx="215" cy="170" r="48" fill="#d9534f"/>` +
      `<circle cx="280" cy="188" r="36" fill="${accent}"/>`,
  },
  culture: {
    palette: { background: "#5b2a86", colourName: "violet", ink: "#fdf1ff", accents: ["#f7c548", "#ff8fab"] },
    says: "une scène et ses projecteurs",
    draw: (ink, accent) =>
      `<rect x="40" y="270" width="320" height="70" rx="8" fill="${ink}"/>` +
      `<path d="M60 60 L170 270 L250 270 Z" fill="${accent}" opacity="0.85"/>` +
      `<path d="M340 60 L230 270 L150 270 Z" fill="${ink}" opacity="0.6"/>` +
      `<circle cx="60" cy="60" r="26" fill="${ink}"/><circle cx="340" cy="60" r="26" fill="${ink}"/>`,
  },
  "environnement-transition": {
    palette: {
      background: "#1f6f5c",
      colourName: "vert sapin",
      ink: "#e8f6ef",
      accents: ["#9bd770", "#ffd166"],
    },
    says: "un arbre et un soleil",
    draw: (ink, accent) =>
      `<circle cx="310" cy="90" r="50" fill="#ffd166"/>` +
      `<rect x="180" y="220" width="40" height="140" fill="${ink}"/>` +
      `<circle cx="200" cy="170" r="100" fill="${accent}"/><circle cx="140" cy="220" r="60" fill="${accent}"/>` +
      `<circle cx="260" cy="220" r="60" fill="${accent}"/>`,
  },
  "insertion-emploi": {
    palette: { background: "#00497a", colourName: "bleu", ink: "#eaf4fb", accents: ["#f2b33d", "#7cc3e8"] },
    says: "des outils d’atelier, une clé et un engrenage",
    draw: (ink, accent) => {
      const teeth = Array.from({ length: 8 }, (_, i) => {
        const a = (i * Math.PI) / 4;
        const x = 150 + Math.cos(a) * 95;
        const y = 200 + Math.sin(a) * 95;
        return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="26" fill="${ink}"/>`;
      }).join("");
      return (
        teeth +
        `<circle cx="150" cy="200" r="90" fill="${ink}"/><circle cx="150" cy="200" r="38" fill="${accent}"/>` +
        `<rect x="250" y="90" width="36" height="240" rx="18" fill="${accent}" transform="rotate(30 268 210)"/>`
      );
    },
  },
  "solidarite-lien-social": {
    palette: { background: "#b5432f", colourName: "brique", ink: "#fff1e8", accents: ["#ffd166", "#f6a38e"] },
    says: "des cercles qui se rejoignent autour d’un cœur",
    draw: (ink, accent) =>
      `<circle cx="140" cy="200" r="100" fill="${ink}" opacity="0.9"/>` +
      `<circle cx="260" cy="200" r="100" fill="${accent}" opacity="0.85"/>` +
      `<path d="M200 260 C120 200 150 130 200 170 C250 130 280 200 200 260 Z" fill="#b5432f"/>`,
  },
  "sante-handicap": {
    palette: {
      background: "#0f6e83",
      colourName: "bleu canard",
      ink: "#e6f7fa",
      accents: ["#ffb4a2", "#ffd166"],
    },
    says: "une main ouverte qui porte un cœur",
    draw: (ink, accent) =>
      `<path d="M60 260 q20 -40 70 -30 l160 0 q40 0 50 30 l0 60 l-280 0 z" fill="${ink}"/>` +
      `<path d="M200 220 C100 150 140 60 200 110 C260 60 300 150 200 220 Z" fill="${accent}"/>`,
  },
  "education-jeunesse": {
    palette: { background: "#c26a00", colourName: "orange", ink: "#fff8e6", accents: ["#00497a", "#7cc3e8"] },
    says: "un livre ouvert et des crayons",
    draw: (ink, accent) =>
      `<path d="M40 120 q80 -30 160 10 v220 q-80 -40 -160 -10 z" fill="${ink}"/>` +
      `<path d="M360 120 q-80 -30 -160 10 v220 q80 -40 160 -10 z" fill="${ink}" opacity="0.85"/>` +
      `<rect x="80" y="30" width="24" height="120" rx="4" fill="${accent}" transform="rotate(-20 92 90)"/>` +
      `<rect x="300" y="30" width="24" height="120" rx="4" fill="#7cc3e8" transform="rotate(20 312 90)"/>`,
  },
  mobilite: {
    palette: {
      background: "#2b4c7e",
      colourName: "bleu nuit",
      ink: "#eef3fb",
      accents: ["#f7c548", "#7cc3e8"],
    },
    says: "un vélo",
    draw: (ink, accent) =>
      `<circle cx="100" cy="260" r="75" fill="none" stroke="${ink}" stroke-width="16"/>` +
      `<circle cx="300" cy="260" r="75" fill="none" stroke="${ink}" stroke-width="16"/>` +
      `<path d="M100 260 L170 150 L280 150 L300 260 M170 150 L210 260 L280 150 M150 120 h50" fill="none" stroke="${accent}" stroke-width="14" stroke-linejoin="round" stroke-linecap="round"/>`,
  },
  habitat: {
    palette: { background: "#6b4f2a", colourName: "brun", ink: "#fbf3e4", accents: ["#f2b33d", "#a8d08d"] },
    says: "une maison et son jardin",
    draw: (ink, accent) =>
      `<path d="M60 190 L200 70 L340 190 Z" fill="${accent}"/>` +
      `<rect x="90" y="190" width="220" height="160" fill="${ink}"/>` +
      `<rect x="175" y="250" width="50" height="100" fill="${accent}"/>` +
      `<rect x="115" y="215" width="40" height="40" fill="#7cc3e8"/><rect x="245" y="215" width="40" height="40" fill="#7cc3e8"/>`,
  },
  "economie-circulaire": {
    palette: {
      background: "#3d6b35",
      colourName: "vert olive",
      ink: "#f1f8e9",
      accents: ["#f2b33d", "#bde0a8"],
    },
    says: "des flèches en cercle autour d’un objet réparé",
    draw: (ink, accent) =>
      `<circle cx="200" cy="200" r="140" fill="none" stroke="${ink}" stroke-width="22" stroke-dasharray="230 63"/>` +
      `<path d="M330 120 l30 -10 l-8 34 z" fill="${ink}"/><path d="M70 280 l-30 10 l8 -34 z" fill="${ink}"/>` +
      `<rect x="150" y="150" width="100" height="100" rx="16" fill="${accent}"/>`,
  },
};

export interface DemoPicture {
  svg: string;
  alt: string;
}

/** The drawing of a campaign's picture and its French text alternative (deterministic). */
export function demoPicture(c: { slug: string; title: string; theme: ThemeSlug }): DemoPicture {
  const motif = MOTIFS[c.theme];
  const { palette } = motif;
  // A seed from the slug: two campaigns of the same theme get different backgrounds.
  const seed = crypto.createHash("sha256").update(c.slug).digest().readUInt32BE(0);
  const random = createRandom(seed);
  const shapes = Array.from({ length: 9 }, (_, i) => {
    const x = random.int(0, PICTURE_WIDTH);
    const y = random.int(0, PICTURE_HEIGHT);
    const r = random.int(30, 140);
    const colour = palette.accents[i % 2];
    return i % 3 === 0
      ? `<rect x="${x - r}" y="${y - r}" width="${r * 2}" height="${r * 2}" rx="${Math.round(r / 3)}" fill="${colour}" opacity="0.18" transform="rotate(${random.int(0, 90)} ${x} ${y})"/>`
      : `<circle cx="${x}" cy="${y}" r="${r}" fill="${colour}" opacity="0.2"/>`;
  }).join("");
  const left = (PICTURE_WIDTH - 400) / 2;
  const top = (PICTURE_HEIGHT - 400) / 2;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PICTURE_WIDTH}" height="${PICTURE_HEIGHT}" viewBox="0 0 ${PICTURE_WIDTH} ${PICTURE_HEIGHT}">` +
    `<rect width="100%" height="100%" fill="${palette.background}"/>` +
    shapes +
    `<circle cx="${PICTURE_WIDTH / 2}" cy="${PICTURE_HEIGHT / 2}" r="250" fill="${palette.background}" opacity="0.55"/>` +
    `<g transform="translate(${left} ${top})">${motif.draw(palette.ink, palette.accents[0])}</g>` +
    `</svg>`;
  const alt = `Illustration du projet «\u00a0${c.title}\u00a0»\u00a0: ${motif.says}, sur fond ${palette.colourName}.`;
  return { svg, alt };
}

/** The WebP bytes of a drawing. */
export async function renderPicture(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg)).webp({ quality: 80 }).toBuffer();
}

/**
 * Give every demo campaign without a picture its illustration. Returns how many
 * campaigns got one. Cheap when there is nothing to do (one query).
 */
export async function seedDemoPictures(db: Kysely<DB>): Promise<number> {
  const bySlug = new Map(seedCampaigns.map((c) => [c.slug, c]));
  const rows = await db
    .selectFrom("campaigns")
    .select(["id", "slug"])
    .where("image_path", "is", null)
    .where(
      "slug",
      "in",
      seedCampaigns.map((c) => c.slug),
    )
    .execute();
  if (rows.length === 0) return 0;
  const done = await Promise.all(
    rows.map(async (row) => {
      const c = bySlug.get(row.slug)!;
      const picture = demoPicture(c);
      const hash = crypto.createHash("sha256").update(`${row.id}\n${picture.svg}`).digest("hex");
      const file = `c${row.id}-${hash.slice(0, 16)}.webp`;
      const key = `campagnes/${file}`;
      if (!(await storage().get(key)))
        await storage().put(key, await renderPicture(picture.svg), "image/webp");
      return { id: row.id, file, alt: picture.alt };
    }),
  );
  await db.transaction().execute(async (trx) => {
    for (const d of done)
      await trx
        .updateTable("campaigns")
        .set({ image_path: d.file, image_alt: d.alt })
        .where("id", "=", d.id)
        .where("image_path", "is", null)
        .execute();
  });
  return done.length;
}
