/** The dashboard: sign-in (browser) or the desktop's key, then the seven pages under /ui/. */
import { useEffect, useState } from 'react';
import { Route, Router, Switch } from 'wouter';
import { SessionProvider, useSession } from './api/context.tsx';
import { desktopToken, storedToken } from './auth/token.ts';
import { LoginPage } from './auth/LoginPage.tsx';
import { Layout } from './components/Layout.tsx';
import { Loading } from './components/StateViews.tsx';
import { ToastProvider } from './components/Toasts.tsx';
import { desktopBridge } from './desktop-bridge.ts';
import { KeysPage } from './pages/KeysPage.tsx';
import { LogsPage } from './pages/LogsPage.tsx';
import { ModelsPage } from './pages/ModelsPage.tsx';
import { OverviewPage } from './pages/OverviewPage.tsx';
import { RoutingPage } from './pages/RoutingPage.tsx';
import { SettingsPage } from './pages/SettingsPage.tsx';
import { UsagePage } from './pages/UsagePage.tsx';

function Pages() {
  return (
    <Layout>
      <Switch>
        <Route path="/" component={OverviewPage} />
        <Route path="/models" component={ModelsPage} />
        <Route path="/routing" component={RoutingPage} />
        <Route path="/keys" component={KeysPage} />
        <Route path="/usage" component={UsagePage} />
        <Route path="/logs" component={LogsPage} />
        <Route path="/settings" component={SettingsPage} />
        <Route>
          <section>
            <h1>Page not found</h1>
            <p>There is no dashboard page at this address. Pick one on the left.</p>
          </section>
        </Route>
      </Switch>
    </Layout>
  );
}

function SignedInOrLogin() {
  const { token, signIn } = useSession();
  const [desktopRetry, setDesktopRetry] = useState(false);
  // In Electron a 401 (key rotated) clears the token: fetch the current one from the preload again.
  useEffect(() => {
    if (token || !desktopBridge() || desktopRetry) return;
    setDesktopRetry(true);
    void desktopToken().then((t) => t && signIn(t));
  }, [token, desktopRetry, signIn]);
  if (!token) return desktopBridge() && !desktopRetry ? <Loading /> : <LoginPage onSignedIn={signIn} />;
  return <Pages />;
}

export function App({ base = '/ui' }: { base?: string }) {
  const [initial, setInitial] = useState<{ token: string | undefined } | undefined>();
  useEffect(() => {
    void (async () => setInitial({ token: (await desktopToken()) ?? storedToken() }))();
  }, []);
  if (!initial) return <Loading />;
  return (
    <SessionProvider initialToken={initial.token}>
      <ToastProvider>
        <Router base={base}>
          <SignedInOrLogin />
        </Router>
      </ToastProvider>
    </SessionProvider>
  );
}
