/** vitest globalSetup: builds the dashboard into renderer/dist when its sources changed, for the browser tests. */
import { build } from '../../scripts/build.mjs';

export default async function setup(): Promise<void> {
  await build(['ui'], { ifStale: true, log: () => {} });
}
