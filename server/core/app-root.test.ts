import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appPath, appRoot, findAppRoot } from './app-root.ts';

const temp = mkdtempSync(join(tmpdir(), 'app-root-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('appRoot', () => {
  it('is the folder of the nearest package.json above a module, at any depth (source or bundle)', () => {
    writeFileSync(join(temp, 'package.json'), '{}');
    const deep = join(temp, 'dist', 'electron');
    mkdirSync(deep, { recursive: true });
    expect(findAppRoot(deep)).toBe(temp);
    expect(findAppRoot(temp)).toBe(temp);
  });

  it('says what is missing when no folder above has a package.json', () => {
    expect(() => findAppRoot('/')).toThrow(/No package\.json in \/ or any folder above it/);
  });

  it('from the sources, is the repository: package.json, the price table and renderer/ are there', () => {
    expect((JSON.parse(readFileSync(appPath('package.json'), 'utf8')) as { name: string }).name).toBe('llm-gateway');
    expect(existsSync(appPath('resources', 'model_prices_and_context_window.json'))).toBe(true);
    expect(existsSync(join(appRoot(), 'renderer', 'vite.config.ts'))).toBe(true);
  });
});
