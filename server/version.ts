/** The gateway's version, read once from package.json. */
import { readFileSync } from 'node:fs';
import { appPath } from './core/app-root.ts';

export const VERSION: string = (JSON.parse(readFileSync(appPath('package.json'), 'utf8')) as { version: string }).version;
