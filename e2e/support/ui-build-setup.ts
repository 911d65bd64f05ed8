/** vitest globalSetup: builds the dashboard into renderer/dist when its sources changed, for the browser tests. */
import { buildUi, uiIsStale } from '../../renderer/build-if-stale.ts';

export default async function setup(): Promise<void> {
  if (uiIsStale()) await buildUi();
}
