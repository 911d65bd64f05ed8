/**
 * Virtual keys (LiteLLM's /key/* endpoints) and the model groups a key may be limited to.
 * Edits and revokes update the cached list at once and roll back with a toast if the gateway refuses;
 * create and rotate wait for the answer, since it carries the raw key that is shown once.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useApi } from './context.tsx';
import type { IssuedKey, KeyDeleteAnswer, KeyListAnswer, KeyObject, KeyRequest, UpdatedKey } from './types.ts';
import { errorMessage } from '../components/StateViews.tsx';
import { useToast } from '../components/Toasts.tsx';

/** Pickers (the Usage page's key filter, chart names) refresh the key list this often. */
export const KEYS_REFETCH_MS = 10_000;
/**
 * The Keys page polls this often, so spend and "last used" show a call within 2 s of it. TanStack Query stops
 * interval refetches while the page is hidden (refetchIntervalInBackground is off), so a window in the
 * background or a minimised tray window asks nothing; one /key/list page is a cheap indexed read.
 */
export const KEYS_PAGE_REFETCH_MS = 1_500;
/** The gateway's largest /key/list page. */
export const MAX_KEY_PAGE_SIZE = 100;

const LIST_PREFIX = ['keys', 'list'] as const;

/** How a key is named to people: its alias, else the masked `sk-…abcd` form, else its id. */
export function keyDisplayName(key: Pick<KeyObject, 'key_alias' | 'key_name' | 'key_id'>): string {
  return key.key_alias || key.key_name || key.key_id;
}

export function useKeyList(page: number, size: number, { refetchMs = KEYS_REFETCH_MS }: { refetchMs?: number } = {}) {
  const api = useApi();
  return useQuery({
    queryKey: [...LIST_PREFIX, { page, size }],
    queryFn: () => api.get<KeyListAnswer>('/key/list', { return_full_object: true, page, size }),
    refetchInterval: refetchMs,
    refetchIntervalInBackground: false,
    // Spend moves with every request: coming back to the page shows it fresh, not one interval old.
    refetchOnMount: 'always',
    placeholderData: keepPreviousData,
  });
}

/** Every key (up to the gateway's page limit), for pickers such as the Usage page's key filter. */
export function useAllKeys() {
  return useKeyList(1, MAX_KEY_PAGE_SIZE);
}

/** The model groups clients may ask for (GET /v1/models: the config's model_name values). */
export function useModelGroups() {
  const api = useApi();
  return useQuery({
    queryKey: ['keys', 'model-groups'],
    queryFn: async () => {
      const answer = await api.get<{ data: { id: string }[] }>('/v1/models');
      return [...new Set(answer.data.map((m) => m.id))].sort((a, b) => a.localeCompare(b));
    },
    staleTime: 30_000,
  });
}

type ListSnapshot = [QueryKey, KeyListAnswer | undefined][];

function useListCache() {
  const client = useQueryClient();
  return {
    async snapshot(): Promise<ListSnapshot> {
      await client.cancelQueries({ queryKey: LIST_PREFIX });
      return client.getQueriesData<KeyListAnswer>({ queryKey: LIST_PREFIX });
    },
    patch(change: (list: KeyListAnswer) => KeyListAnswer) {
      client.setQueriesData<KeyListAnswer>({ queryKey: LIST_PREFIX }, (list) => (list ? change(list) : list));
    },
    restore(snapshot: ListSnapshot) {
      for (const [key, data] of snapshot) client.setQueryData(key, data);
    },
    invalidate: () => client.invalidateQueries({ queryKey: ['keys'] }),
  };
}

export function useCreateKey() {
  const api = useApi();
  const cache = useListCache();
  return useMutation({
    mutationFn: (body: KeyRequest) => api.post<IssuedKey>('/key/generate', body),
    onSuccess: () => void cache.invalidate(),
  });
}

export interface KeyUpdate extends KeyRequest {
  key: string;
}

/**
 * The fields of a KeyObject that a KeyRequest sets directly (the rest, e.g. duration, only the server can work out).
 * As on the server, a null list or mapping clears it: no models means every model.
 */
function applyUpdate(key: KeyObject, update: KeyUpdate): KeyObject {
  const next = { ...key };
  if (update.key_alias !== undefined) next.key_alias = update.key_alias || null;
  if (update.models !== undefined) next.models = update.models ?? [];
  if (update.max_budget !== undefined) next.max_budget = update.max_budget;
  if (update.budget_duration !== undefined) next.budget_duration = update.budget_duration;
  if (update.rpm_limit !== undefined) next.rpm_limit = update.rpm_limit;
  if (update.tpm_limit !== undefined) next.tpm_limit = update.tpm_limit;
  if (update.max_parallel_requests !== undefined) next.max_parallel_requests = update.max_parallel_requests;
  if (update.metadata !== undefined) next.metadata = update.metadata ?? {};
  return next;
}

/** POST /key/update: the row changes at once; a refusal puts it back and says why. */
export function useUpdateKey() {
  const api = useApi();
  const cache = useListCache();
  const toast = useToast();
  return useMutation({
    mutationFn: (update: KeyUpdate) => api.post<UpdatedKey>('/key/update', update),
    onMutate: async (update) => {
      const snapshot = await cache.snapshot();
      cache.patch((list) => ({ ...list, keys: list.keys.map((k) => (k.token === update.key ? applyUpdate(k, update) : k)) }));
      return { snapshot };
    },
    onError: (error, _update, context) => {
      if (context) cache.restore(context.snapshot);
      toast.notify(`Could not save the key: ${errorMessage(error)}`, 'error');
    },
    onSuccess: () => toast.notify('Key saved', 'success'),
    onSettled: () => void cache.invalidate(),
  });
}

/** POST /key/regenerate: a new raw key (shown once); the old one stops working. */
export function useRotateKey() {
  const api = useApi();
  const cache = useListCache();
  return useMutation({
    mutationFn: (token: string) => api.post<IssuedKey>('/key/regenerate', { key: token }),
    onSettled: () => void cache.invalidate(),
  });
}

/** POST /key/delete: the row goes at once; a refusal brings it back and says why. */
export function useRevokeKey() {
  const api = useApi();
  const cache = useListCache();
  const toast = useToast();
  return useMutation({
    mutationFn: (key: KeyObject) => api.post<KeyDeleteAnswer>('/key/delete', { keys: [key.token] }),
    onMutate: async (key) => {
      const snapshot = await cache.snapshot();
      cache.patch((list) => {
        const keys = list.keys.filter((k) => k.token !== key.token);
        return { ...list, keys, total_count: Math.max(0, list.total_count - (list.keys.length - keys.length)) };
      });
      return { snapshot };
    },
    onError: (error, key, context) => {
      if (context) cache.restore(context.snapshot);
      toast.notify(`Could not revoke ${keyDisplayName(key)}: ${errorMessage(error)}`, 'error');
    },
    onSuccess: (_answer, key) => toast.notify(`Key ${keyDisplayName(key)} revoked`, 'success'),
    onSettled: () => void cache.invalidate(),
  });
}
