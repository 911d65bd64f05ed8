/**
 * Child-process entry of the bench: runs the shared mock providers in their own event loop, reports
 * the URL to the parent over IPC, and exits as soon as the parent goes away.
 */
import { startMockProviders } from '../e2e/mock-providers/index.ts';

// Recording would grow memory by one entry per request under load.
const mock = await startMockProviders({ record: false });
if (process.send === undefined) {
  console.log(mock.url);
} else {
  process.send({ url: mock.url });
  process.on('disconnect', () => void mock.close().finally(() => process.exit(0)));
}
process.on('SIGTERM', () => void mock.close().finally(() => process.exit(0)));
