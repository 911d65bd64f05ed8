/**
 * The dashboard's live tail of the debug log. While at least one live-tail client watches a ring, the
 * ring receives debug lines (one line per request, see request-log.ts) even when the logger runs at
 * info; the console keeps its own level. When the last watcher leaves, the ring goes back to the
 * logger's level, so nobody watching costs nothing per request (`logger.isLevelEnabled('debug')` is
 * false again).
 *
 * createLogger (logger.ts) registers how to switch its ring's level; a ring without a registered switch
 * (a logger built elsewhere) is tailed at whatever level it already receives.
 */
import type { LogListener, LogRing } from './log-ring.ts';

/** true: the ring should receive debug lines now; false: back to the logger's own level. */
export type RingLevelSwitch = (watched: boolean) => void;

const switches = new WeakMap<LogRing, RingLevelSwitch>();
const watchers = new WeakMap<LogRing, number>();

/** Called by createLogger for the ring it writes to (the latest registration wins). */
export function setRingLevelSwitch(ring: LogRing, switchLevel: RingLevelSwitch): void {
  switches.set(ring, switchLevel);
  // A ring already watched when its logger is (re)built gets debug lines at once.
  if ((watchers.get(ring) ?? 0) > 0) switchLevel(true);
}

/** How many live-tail clients watch this ring right now. */
export function liveTailWatchers(ring: LogRing): number {
  return watchers.get(ring) ?? 0;
}

/**
 * Subscribes `listener` to every new line and holds the ring at debug until the returned function is
 * called (idempotent). The listener runs inside the logger's write: it must only queue the line.
 */
export function watchLiveTail(ring: LogRing, listener: LogListener): () => void {
  const unsubscribe = ring.subscribe(listener);
  const count = liveTailWatchers(ring) + 1;
  watchers.set(ring, count);
  if (count === 1) switches.get(ring)?.(true);
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    const left = Math.max(0, liveTailWatchers(ring) - 1);
    watchers.set(ring, left);
    if (left === 0) switches.get(ring)?.(false);
  };
}
