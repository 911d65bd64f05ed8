/**
 * Routing page data: GET /admin/routing (what is in force, plus the model groups a chain may name) and
 * PUT /admin/routing with only what changed; the answer is the new state, put straight into the cache.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from './context.tsx';
import type { RoutingAnswer, RoutingInput } from './types.ts';

export const routingKeys = { all: ['routing'] as const };

export function useRouting() {
  const api = useApi();
  return useQuery({ queryKey: routingKeys.all, queryFn: () => api.get<RoutingAnswer>('/admin/routing') });
}

export function useSaveRouting() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: RoutingInput) => api.put<RoutingAnswer>('/admin/routing', change),
    onSuccess: (answer) => {
      queryClient.setQueryData(routingKeys.all, answer);
      void queryClient.invalidateQueries({ queryKey: ['overview'] });
    },
  });
}
