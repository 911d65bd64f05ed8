/**
 * Models page data: LiteLLM's /model/* (config.yaml's model_list) and the gateway's per-deployment health and
 * one-shot test. Query keys start with 'models'; a change also refreshes the overview and routing (the model
 * groups a fallback chain may name).
 */
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useToast } from '../components/Toasts.tsx';
import { errorMessage } from '../components/StateViews.tsx';
import { useApi } from './context.tsx';
import type {
  DeploymentHealthAnswer,
  DeploymentTestResult,
  ModelDeleteAnswer,
  ModelEntry,
  ModelInfoAnswer,
  ModelPatch,
  ModelUpdateRequest,
  NewModelRequest,
  StoredModel,
} from './types.ts';

export const modelKeys = {
  all: ['models'] as const,
  info: ['models', 'info'] as const,
  health: ['models', 'health'] as const,
};

/** How often deployment health is asked for again. */
export const HEALTH_REFRESH_MS = 5_000;

export function useModelInfo() {
  const api = useApi();
  return useQuery({ queryKey: modelKeys.info, queryFn: () => api.get<ModelInfoAnswer>('/model/info') });
}

export function useDeploymentHealth() {
  const api = useApi();
  return useQuery({
    queryKey: modelKeys.health,
    queryFn: () => api.get<DeploymentHealthAnswer>('/admin/deployments/health'),
    refetchInterval: HEALTH_REFRESH_MS,
  });
}

/** What /model/new takes (the dashboard's name for the server's NewModelRequest). */
export type NewModel = NewModelRequest;

/** A /model/update as the dashboard makes it: the deployment's id (sent as model_info.id) and only what changes (the gateway merges litellm_params key by key). */
export type ModelUpdate = { id: string } & Omit<ModelPatch, 'model_info'>;

function invalidateAfterChange(queryClient: QueryClient) {
  void queryClient.invalidateQueries({ queryKey: modelKeys.all });
  void queryClient.invalidateQueries({ queryKey: ['routing'] });
  void queryClient.invalidateQueries({ queryKey: ['overview'] });
}

export function useAddModel() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (model: NewModel) => api.post<StoredModel>('/model/new', model),
    onSuccess: () => invalidateAfterChange(queryClient),
  });
}

export function useUpdateModel() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...change }: ModelUpdate) => api.post<StoredModel>('/model/update', { ...change, model_info: { id } } satisfies ModelUpdateRequest),
    onSuccess: () => invalidateAfterChange(queryClient),
  });
}

/** Deleting is optimistic: the row goes at once and comes back (with a toast) if the gateway refuses. */
export function useDeleteModel() {
  const api = useApi();
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: (entry: ModelEntry) => api.post<ModelDeleteAnswer>('/model/delete', { id: entry.model_info.id }),
    onMutate: async (entry) => {
      await queryClient.cancelQueries({ queryKey: modelKeys.info });
      const before = queryClient.getQueryData<ModelInfoAnswer>(modelKeys.info);
      if (before) queryClient.setQueryData<ModelInfoAnswer>(modelKeys.info, { data: before.data.filter((m) => m.model_info.id !== entry.model_info.id) });
      return { before };
    },
    onError: (error, entry, context) => {
      if (context?.before) queryClient.setQueryData(modelKeys.info, context.before);
      toast.notify(`Could not delete ${entry.model_name} (${entry.litellm_params.model}): ${errorMessage(error)}`, 'error');
    },
    onSuccess: (_answer, entry) => toast.notify(`Deleted ${entry.model_name} (${entry.litellm_params.model})`, 'success'),
    onSettled: () => invalidateAfterChange(queryClient),
  });
}

/** One real one-token call to one deployment, past the router. */
export function useTestDeployment() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<DeploymentTestResult>(`/admin/deployments/${encodeURIComponent(id)}/test`),
    // The outcome becomes the deployment's last check.
    onSettled: () => void queryClient.invalidateQueries({ queryKey: modelKeys.health }),
  });
}
