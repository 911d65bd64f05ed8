import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodeIcns, encodeIco, encodePng, PNG_SIGNATURE, type Rgba } from './icon-formats.ts';
import { templateIcon } from './make-icons.ts';

function pngChunks(png: Buffer): { type: string; body: Buffer }[] {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  const chunks = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length), `${type} CRC`).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
    chunks.push({ type, body });
    at += 12 + length;
  }
  return chunks;
}

const size = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });
const image = (w: number, h: number): Rgba => ({
  width: w,
  height: h,
  data: Uint8Array.from({ length: w * h * 4 }, (_, i) => (i % 4 === 3 ? (i % 7) * 40 : i % 251)),
});

describe('icon formats', () => {
  it('crc32 matches the known check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('PNG: valid chunks, RGBA 8-bit, pixels round-trip', () => {
    const source = image(5, 3);
    const chunks = pngChunks(encodePng(source));
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect([...chunks[0]!.body]).toEqual([0, 0, 0, 5, 0, 0, 0, 3, 8, 6, 0, 0, 0]);
    const raw = inflateSync(chunks[1]!.body);
    for (let y = 0; y < 3; y++) {
      expect(raw[y * 21]).toBe(0);
      expect([...raw.subarray(y * 21 + 1, (y + 1) * 21)]).toEqual([...source.data.subarray(y * 20, (y + 1) * 20)]);
    }
  });

  it('ICO: a directory of BMP entries (PNG at 256 px)', () => {
    const ico = encodeIco([image(16, 16), image(256, 256)]);
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, 2]);
    expect([ico[6], ico[7], ico[22], ico[23]]).toEqual([16, 16, 0, 0]);
    const first = ico.readUInt32LE(6 + 12);
    expect(ico.readUInt32LE(first)).toBe(40); // BITMAPINFOHEADER
    expect(ico.readInt32LE(first + 8)).toBe(32); // height doubled for the AND mask
    expect(ico.readUInt32LE(6 + 8)).toBe(40 + 16 * 16 * 4 + 4 * 16);
    const second = ico.readUInt32LE(6 + 16 + 12);
    expect(ico.subarray(second, second + 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('ICNS: header and PNG entries with their lengths', () => {
    const icns = encodeIcns(
      new Map([
        [16, encodePng(image(16, 16))],
        [512, encodePng(image(512, 512))],
      ]),
    );
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types = [];
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) types.push(icns.toString('ascii', at, at + 4));
    expect(types).toEqual(['icp4', 'ic09', 'ic14']);
  });

  it('the template image is black with alpha only', () => {
    const { data } = templateIcon(16);
    for (let i = 0; i < data.length; i += 4) expect([data[i], data[i + 1], data[i + 2]]).toEqual([0, 0, 0]);
    expect(data.some((v, i) => i % 4 === 3 && v === 255)).toBe(true);
  });

  it('resources/ holds the committed icons at the sizes the app and electron-builder use', () => {
    const resources = new URL('../../resources/', import.meta.url);
    const png = (name: string) => size(readFileSync(new URL(name, resources)));
    expect(png('trayTemplate.png')).toEqual({ width: 16, height: 16 });
    expect(png('trayTemplate@2x.png')).toEqual({ width: 32, height: 32 });
    expect(png('tray.png')).toEqual({ width: 48, height: 48 });
    expect(png('icon.png')).toEqual({ width: 512, height: 512 });
    const trayIco = readFileSync(new URL('tray.ico', resources));
    expect([trayIco[6], trayIco[22], trayIco[38]]).toEqual([16, 32, 48]);
    const appIco = readFileSync(new URL('icon.ico', resources));
    expect(appIco.readUInt16LE(4)).toBe(7);
    expect(readFileSync(new URL('icon.icns', resources)).toString('ascii', 0, 4)).toBe('icns');
  });
});
