/** For component tests (jsdom): unmount after each test. Node-environment test files skip it at no cost. */
import { afterEach } from 'vitest';

if (typeof document !== 'undefined') {
  const { cleanup } = await import('@testing-library/react');
  afterEach(() => cleanup());
}
