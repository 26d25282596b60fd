/**
 * `npx tsx scripts/icons.ts`: draw public/favicon.ico (16, 32 and 48 px) and
 * public/apple-touch-icon.png (180 px) from public/favicon.svg with sharp. The
 * outputs are committed (small files); run this again after changing the SVG.
 */
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";

const publicDir = path.join(process.cwd(), "public");
const svg = fs.readFileSync(path.join(publicDir, "favicon.svg"));

/** An ICO file whose images are PNGs (read by every current browser). */
function ico(pngs: Array<{ size: number; bytes: Buffer }>): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(pngs.length, 4);
  const entries: Buffer[] = [];
  let offset = 6 + 16 * pngs.length;
  for (const { size, bytes } of pngs) {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0); // width
    entry.writeUInt8(size >= 256 ? 0 : size, 1); // height
    entry.writeUInt8(0, 2); // colours in palette
    entry.writeUInt8(0, 3); // reserved
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(bytes.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += bytes.length;
    entries.push(entry);
  }
  return Buffer.concat([header, ...entries, ...pngs.map((p) => p.bytes)]);
}

const sizes = [16, 32, 48];
const pngs = await Promise.all(
  sizes.map(async (size) => ({
    size,
    bytes: await sharp(svg, { density: 72 * (size / 32) * 4 })
      .resize(size, size)
      .png({ compressionLevel: 9 })
      .toBuffer(),
  })),
);
fs.writeFileSync(path.join(publicDir, "favicon.ico"), ico(pngs));
// Apple draws its own rounded corners: a square, full-bleed background.
const square = Buffer.from(svg.toString("utf8").replace(/<rect ([^>]*?)rx="\d+"/, "<rect $1"), "utf8");
await sharp(square, { density: 72 * (180 / 32) })
  .resize(180, 180)
  .png({ compressionLevel: 9 })
  .toFile(path.join(publicDir, "apple-touch-icon.png"));
console.log("public/favicon.ico, public/apple-touch-icon.png");
