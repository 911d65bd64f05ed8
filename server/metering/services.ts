/** The stateful services every request may touch, opened once per gateway. */
import type { KeyLimiter } from '../keys/key-limits.ts';
import type { KeyStore } from '../keys/key-store.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { SpendLog } from '../spend/spend-log.ts';
import type { Db } from '../store/database.ts';

export interface GatewayServices {
  db: Db;
  keys: KeyStore;
  limiter: KeyLimiter;
  spendLog: SpendLog;
  secrets: SecretStore;
}
