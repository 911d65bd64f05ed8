import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('.', import.meta.url));
/** The Electron glue; every other module of electron/ runs (and is tested) under plain Node. */
const GLUE = new Set(['main.ts', 'preload.ts']);
/** This file names the import in its own examples. */
const SELF = 'plain-modules.test.ts';
const importsElectron = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]electron(?:\/[^'"]*)?['"]/m;

function modules(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return entry.name === 'build' ? [] : modules(join(folder, entry.name)).map((f) => join(entry.name, f));
    return entry.name.endsWith('.ts') ? [entry.name] : [];
  });
}

describe('plain modules', () => {
  it('the pattern finds an electron import', () => {
    expect(importsElectron.test("import { app } from 'electron';")).toBe(true);
    expect(importsElectron.test('import type { BrowserWindow } from "electron";')).toBe(true);
    expect(importsElectron.test("const e = await import('electron');")).toBe(true);
    expect(importsElectron.test("import { x } from './electron-free.ts';")).toBe(false);
  });

  it('only main.ts and preload.ts import electron', () => {
    const offenders = modules(dir).filter((file) => !GLUE.has(file) && file !== SELF && importsElectron.test(readFileSync(join(dir, file), 'utf8')));
    expect(offenders).toEqual([]);
    expect(importsElectron.test(readFileSync(join(dir, 'main.ts'), 'utf8'))).toBe(true);
  });
});
