/** The stateful services every request may touch, opened once per gateway. */
import type { BudgetReservations } from '../keys/budget-reservations.ts';
import type { KeyLimiter } from '../keys/key-limits.ts';
import type { KeyStore } from '../keys/key-store.ts';
import type { ResponseStore } from '../responses/response-store.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { SpendLog } from '../spend/spend-log.ts';
import type { Db } from '../store/database.ts';
import type { SpendJournal } from './spend-journal.ts';

export interface GatewayServices {
  db: Db;
  /** Spend rows (and with them key spend) on their way to SQLite. */
  journal: SpendJournal;
  keys: KeyStore;
  /** Budget reservations of calls in flight. */
  budgets: BudgetReservations;
  limiter: KeyLimiter;
  spendLog: SpendLog;
  /** Responses API answers kept for previous_response_id and GET /v1/responses/{id}. */
  responses: ResponseStore;
  secrets: SecretStore;
}
