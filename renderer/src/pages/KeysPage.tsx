/** Keys: every virtual key with its spend against budget, expiry, limits and last use; create, edit, rotate, revoke. */
import { type ReactNode, useEffect, useState } from 'react';
import { KEYS_PAGE_REFETCH_MS, useKeyList } from '../api/keys.ts';
import type { KeyObject } from '../api/types.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { EmptyState, ErrorState, Loading } from '../components/StateViews.tsx';
import { CreateKeyDialog } from './keys/CreateKeyDialog.tsx';
import { EditKeyDialog } from './keys/EditKeyDialog.tsx';
import { KeyTable } from './keys/KeyTable.tsx';
import { RevokeKeyDialog } from './keys/RevokeKeyDialog.tsx';
import { RotateKeyDialog } from './keys/RotateKeyDialog.tsx';
import { Pager } from './usage/Pager.tsx';

export const KEYS_PAGE_SIZE = 25;

export function KeysPage() {
  const [page, setPage] = useState(1);
  const list = useKeyList(page, KEYS_PAGE_SIZE, { refetchMs: KEYS_PAGE_REFETCH_MS });
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<KeyObject | null>(null);
  const [rotating, setRotating] = useState<KeyObject | null>(null);
  const [revoking, setRevoking] = useState<KeyObject | null>(null);

  const totalPages = list.data?.total_pages ?? 1;
  // A revoke that empties the last page: step back to one that has keys.
  useEffect(() => {
    if (list.data && page > 1 && list.data.keys.length === 0 && page > list.data.total_pages) setPage(Math.max(1, list.data.total_pages));
  }, [list.data, page]);

  const noKeys = list.data !== undefined && list.data.total_count === 0 && page === 1;

  let body: ReactNode;
  if (list.isPending) body = <Loading label="Loading keys…" />;
  else if (list.error && !list.data) body = <ErrorState title="Could not load the keys" error={list.error} onRetry={() => void list.refetch()} />;
  else if (noKeys)
    body = (
      <EmptyState title="No keys yet">
        <p>
          Give each client (Aider, Continue, a script) its own key with <strong>Create key</strong>, with a budget and limits if you like. The master key still
          works for everything.
        </p>
      </EmptyState>
    );
  else
    body = (
      <>
        {list.error && <ErrorState title="Could not refresh the keys" error={list.error} onRetry={() => void list.refetch()} />}
        <KeyTable keys={list.data?.keys ?? []} actions={{ onEdit: setEditing, onRotate: setRotating, onRevoke: setRevoking }} />
        {totalPages > 1 && <Pager page={page} totalPages={totalPages} onPage={setPage} busy={list.isFetching} />}
      </>
    );

  return (
    <section className="page keys-page">
      <PageHeader
        title="Keys"
        description="Virtual keys for your clients. Spend and last use update within seconds of each request."
        actions={
          <button type="button" className="button primary" onClick={() => setCreating(true)}>
            Create key
          </button>
        }
      />
      {body}
      <CreateKeyDialog open={creating} onClose={() => setCreating(false)} />
      <EditKeyDialog keyObject={editing} onClose={() => setEditing(null)} />
      <RotateKeyDialog keyObject={rotating} onClose={() => setRotating(null)} />
      <RevokeKeyDialog keyObject={revoking} onClose={() => setRevoking(null)} />
    </section>
  );
}
