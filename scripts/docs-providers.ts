/**
 * `npm run docs:providers`: writes docs/providers.md from the provider descriptors (server/providers/) and the
 * gateway's own litellm_params. server/providers/providers-doc.test.ts fails when the file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { providerInfo } from '../server/providers/provider-info.ts';
import { renderProvidersDoc } from '../server/providers/providers-doc.ts';
import { PROVIDERS } from '../server/providers/registry.ts';
import { GATEWAY_PARAM_KEYS } from '../server/router/deployments.ts';

export const PROVIDERS_DOC_PATH = fileURLToPath(new URL('../docs/providers.md', import.meta.url));

export function providersDoc(): string {
  return renderProvidersDoc(PROVIDERS.map(providerInfo), [...GATEWAY_PARAM_KEYS].sort());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(PROVIDERS_DOC_PATH, providersDoc());
  console.log(`Wrote ${PROVIDERS_DOC_PATH}`);
}
