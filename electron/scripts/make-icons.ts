/**
 * Draws the app and tray icons into resources/ (committed; nothing needs this script at build time):
 *
 *   trayTemplate.png, trayTemplate@2x.png   macOS menu-bar template images (16, 32 px; black + alpha)
 *   tray.ico                                Windows tray (16, 32, 48 px)
 *   tray.png                                Linux tray (48 px)
 *   icon.png, icon.ico, icon.icns           the app icon for electron-builder (512 px; 16–256; 16–1024)
 *
 * The glyph is a gateway: an arch with a request passing through it. Shapes are tested per sample and
 * supersampled for anti-aliasing; files are encoded by icon-formats.ts. Usage: tsx electron/scripts/make-icons.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeIcns, encodeIco, encodePng, type Rgba } from './icon-formats.ts';

/** The glyph in a unit square (x right, y down). */
export function gateGlyph(x: number, y: number): boolean {
  const cx = 0.5;
  const cy = 0.47;
  const outer = 0.34;
  const inner = 0.165;
  if (y <= cy) {
    const d = Math.hypot(x - cx, y - cy);
    if (d <= outer && d >= inner) return true;
  } else if (y <= 0.88) {
    if ((x >= cx - outer && x <= cx - inner) || (x >= cx + inner && x <= cx + outer)) return true;
  }
  return Math.hypot(x - cx, y - 0.7) <= 0.09;
}

function roundedSquare(x: number, y: number, inset: number, radius: number): boolean {
  const lo = inset;
  const hi = 1 - inset;
  if (x < lo || x > hi || y < lo || y > hi) return false;
  const rx = Math.max(lo + radius - x, 0, x - (hi - radius));
  const ry = Math.max(lo + radius - y, 0, y - (hi - radius));
  return rx * rx + ry * ry <= radius * radius;
}

function coverage(size: number, px: number, py: number, samples: number, inside: (x: number, y: number) => boolean): number {
  let hits = 0;
  for (let sy = 0; sy < samples; sy++) {
    for (let sx = 0; sx < samples; sx++) {
      if (inside((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)) hits++;
    }
  }
  return hits / (samples * samples);
}

/** Black glyph on transparent: macOS tints template images for light and dark menu bars. */
export function templateIcon(size: number): Rgba {
  const data = new Uint8Array(size * size * 4);
  const pad = 1 / size; // one pixel of air at the 16 px size
  const glyph = (x: number, y: number) => gateGlyph((x - pad) / (1 - 2 * pad), (y - pad) / (1 - 2 * pad));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) data[(y * size + x) * 4 + 3] = Math.round(255 * coverage(size, x, y, 8, glyph));
  }
  return { width: size, height: size, data };
}

const TOP = [99, 102, 241]; // indigo 500
const BOTTOM = [67, 56, 202]; // indigo 700

/** White glyph on an indigo rounded square. `inset`: transparent margin (macOS app icons keep ~10%). */
export function colorIcon(size: number, inset: number): Rgba {
  const data = new Uint8Array(size * size * 4);
  const samples = size >= 256 ? 3 : 6;
  const radius = (1 - 2 * inset) * 0.225;
  const glyphBox = { from: inset + (1 - 2 * inset) * 0.16, span: (1 - 2 * inset) * 0.68 };
  const glyph = (x: number, y: number) => gateGlyph((x - glyphBox.from) / glyphBox.span, (y - glyphBox.from) / glyphBox.span);
  for (let y = 0; y < size; y++) {
    const t = y / Math.max(1, size - 1);
    const bg = TOP.map((c, i) => c + (BOTTOM[i]! - c) * t);
    for (let x = 0; x < size; x++) {
      const back = coverage(size, x, y, samples, (u, v) => roundedSquare(u, v, inset, radius));
      if (back === 0) continue;
      const front = coverage(size, x, y, samples, glyph);
      const at = (y * size + x) * 4;
      for (let i = 0; i < 3; i++) data[at + i] = Math.round(bg[i]! + (255 - bg[i]!) * front);
      data[at + 3] = Math.round(255 * back);
    }
  }
  return { width: size, height: size, data };
}

function main(): void {
  const out = fileURLToPath(new URL('../../resources/', import.meta.url));
  mkdirSync(out, { recursive: true });
  const write = (name: string, bytes: Buffer) => {
    writeFileSync(join(out, name), bytes);
    console.log(`resources/${name} (${bytes.length} bytes)`);
  };
  write('trayTemplate.png', encodePng(templateIcon(16)));
  write('trayTemplate@2x.png', encodePng(templateIcon(32)));
  write('tray.ico', encodeIco([16, 32, 48].map((s) => colorIcon(s, 0))));
  write('tray.png', encodePng(colorIcon(48, 0)));
  const app = new Map([16, 32, 64, 128, 256, 512, 1024].map((s) => [s, encodePng(colorIcon(s, s >= 64 ? 0.09 : 0.03))]));
  write('icon.png', app.get(512)!);
  write('icon.icns', encodeIcns(app));
  write('icon.ico', encodeIco([16, 24, 32, 48, 64, 128, 256].map((s) => colorIcon(s, 0))));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
