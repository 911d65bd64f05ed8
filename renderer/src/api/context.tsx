/**
 * The API client and the signed-in state for the whole app. A 401 from any call means the key is wrong or
 * was rotated: the dashboard forgets it and asks again (in Electron the preload's key is fetched anew).
 */
import { QueryCache, QueryClient, QueryClientProvider, MutationCache } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { storeToken } from '../auth/token.ts';
import { ApiError, createApiClient, type ApiClient } from './client.ts';

interface Session {
  api: ApiClient;
  token: string | undefined;
  signIn(token: string): void;
  signOut(): void;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function makeQueryClient(onUnauthorized: () => void): QueryClient {
  const check = (error: unknown) => {
    if (error instanceof ApiError && error.status === 401) onUnauthorized();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: check }),
    mutationCache: new MutationCache({ onError: check }),
    defaultOptions: {
      queries: {
        // A 4xx will not get better by asking again; a dropped connection might.
        retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
        refetchOnWindowFocus: true,
        staleTime: 2_000,
      },
    },
  });
}

export function SessionProvider({ initialToken, baseUrl = '', children }: { initialToken: string | undefined; baseUrl?: string; children: ReactNode }) {
  const [token, setToken] = useState(initialToken);
  const tokenRef = useRef(token);
  tokenRef.current = token;
  const signOut = useCallback(() => {
    storeToken(undefined);
    setToken(undefined);
  }, []);
  const signIn = useCallback((next: string) => {
    storeToken(next);
    // At once, not at the next render: after a master-key rotation the very next request must carry the new key.
    tokenRef.current = next;
    setToken(next);
  }, []);
  const api = useMemo(() => createApiClient(() => tokenRef.current, baseUrl), [baseUrl]);
  const [queryClient] = useState(() => makeQueryClient(() => signOut()));
  const session = useMemo(() => ({ api, token, signIn, signOut }), [api, token, signIn, signOut]);
  return (
    <SessionContext.Provider value={session}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </SessionContext.Provider>
  );
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

export const useApi = (): ApiClient => useSession().api;
