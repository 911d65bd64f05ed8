/** Queries for the Overview page: the gateway's figures (polled) and the virtual keys "Connect a client" offers. */
import { useQuery } from '@tanstack/react-query';
import { useApi } from './context.tsx';
import type { KeyListAnswer, Overview } from './types.ts';

/** How often the Overview's figures refresh while the page is open. */
export const OVERVIEW_REFRESH_MS = 5_000;

export function useOverview() {
  const api = useApi();
  return useQuery({
    queryKey: ['overview'],
    queryFn: () => api.get<Overview>('/admin/overview'),
    refetchInterval: OVERVIEW_REFRESH_MS,
  });
}

/** The first 100 keys with their aliases (the key list caps a page at 100). Under ['keys'] so key changes refresh it. */
export function useClientKeys() {
  const api = useApi();
  return useQuery({
    queryKey: ['keys', 'connect-client', { size: 100 }],
    queryFn: () => api.get<KeyListAnswer>('/key/list', { return_full_object: true, size: 100 }),
  });
}
