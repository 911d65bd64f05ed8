/** The stateful services every request may touch, opened once per gateway. */
import type { KeyLimiter } from '../keys/key-limits.ts';
import type { KeyStore } from '../keys/key-store.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { SpendLog } from '../spend/spend-log.ts';
import type { Db } from '../store/database.ts';
import type { GroupCommit } from '../store/group-commit.ts';

export interface GatewayServices {
  db: Db;
  /** Spend rows and key spend: one transaction per event-loop turn. */
  writer: GroupCommit;
  keys: KeyStore;
  limiter: KeyLimiter;
  spendLog: SpendLog;
  secrets: SecretStore;
}
