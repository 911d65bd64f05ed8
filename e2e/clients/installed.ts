/**
 * Whether the real clients are installed: they live in this folder's own node_modules (`npm ci --prefix
 * e2e/clients`), kept out of the root package because the CLIs' native binaries weigh about 1 GB.
 * No vitest import here: the global setup (e2e/support/clients-setup.ts) reads it too.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLIENTS_DIR = dirname(fileURLToPath(import.meta.url));
export const CLIENTS_MODULES = join(CLIENTS_DIR, 'node_modules');

const inCI = Boolean(process.env.CI) && !/^(0|false)$/i.test(process.env.CI ?? '');

/** Why the client tests did not run, when they were skipped. */
export const CLIENTS_MISSING = 'no e2e/clients/node_modules (`npm ci --prefix e2e/clients` installs the real clients, about 1 GB)';

/** True when the client tests are skipped: clients not installed, and CI unset (in CI they run, and fail). */
export const clientsSkipped = !existsSync(CLIENTS_MODULES) && !inCI;
