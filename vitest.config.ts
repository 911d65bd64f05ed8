import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'e2e/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration tests bind real loopback ports; run files in parallel but keep each file's tests serial.
    pool: 'forks',
    // A private gnome-keyring on its own D-Bus session for the keychain tests, and the dashboard built once
    // for the browser tests (see the files).
    globalSetup: ['e2e/support/keychain-setup.ts', 'e2e/support/ui-build-setup.ts'],
    // Component tests declare `// @vitest-environment jsdom`; this unmounts what they rendered after each test.
    setupFiles: ['renderer/src/test-setup.ts'],
  },
});
