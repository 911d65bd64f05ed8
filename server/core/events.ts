/**
 * What the router tells the rest of the gateway about its admission queues: events as they happen and snapshots on
 * demand. observe/ (metrics) receives these without importing the router.
 */

export type QueueOutcome = 'served' | 'timeout' | 'dropped' | 'full';

/** A call that went through the queue (or was refused by a full one). */
export interface QueueEvent {
  deployment: string;
  outcome: QueueOutcome;
  waitedS: number;
}

export interface LaneCounters {
  admitted: number;
  queued: number;
  rejectedFull: number;
  timedOut: number;
  dropped: number;
  /** Sum of the waits of calls served from the queue. */
  waitMsTotal: number;
}

export interface LaneSnapshot extends LaneCounters {
  deployment: string;
  modelGroup: string;
  queueDepth: number;
  /** Seconds the first waiter has waited (0 with an empty queue). */
  oldestWaitS: number;
  rpm?: { limit: number; available: number };
  tpm?: { limit: number; available: number };
}
