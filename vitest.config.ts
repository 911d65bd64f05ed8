import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'e2e/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration tests bind real loopback ports; run files in parallel but keep each file's tests serial.
    pool: 'forks',
    // A private gnome-keyring on its own D-Bus session for the keychain tests, the dashboard built once for the
    // browser tests, and one notice per run when the OpenAPI schema checks had no spec to check against or the
    // real-client tests (e2e/clients/, their own package) were not installed (see the files).
    globalSetup: ['e2e/support/keychain-setup.ts', 'e2e/support/ui-build-setup.ts', 'e2e/support/openapi-setup.ts', 'e2e/support/clients-setup.ts'],
    // Component tests declare `// @vitest-environment jsdom`; this unmounts what they rendered after each test.
    setupFiles: ['renderer/src/test-setup.ts'],
  },
});
