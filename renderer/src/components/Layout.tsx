/** The app frame: navigation on the left (a top bar on narrow windows), the page on the right. */
import type { ReactNode } from 'react';
import { Link, useRoute } from 'wouter';
import { useSession } from '../api/context.tsx';
import { desktopBridge } from '../desktop-bridge.ts';

export const PAGES = [
  { path: '/', label: 'Overview' },
  { path: '/models', label: 'Models' },
  { path: '/routing', label: 'Routing' },
  { path: '/keys', label: 'Keys' },
  { path: '/usage', label: 'Usage' },
  { path: '/logs', label: 'Logs' },
  { path: '/settings', label: 'Settings' },
] as const;

function NavLink({ path, label }: { path: string; label: string }) {
  const [active] = useRoute(path === '/' ? '/' : `${path}/*?`);
  return (
    <Link href={path} className={active ? 'nav-link active' : 'nav-link'} aria-current={active ? 'page' : undefined}>
      {label}
    </Link>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { signOut } = useSession();
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">LLM Gateway</div>
        <ul>
          {PAGES.map((page) => (
            <li key={page.path}>
              <NavLink {...page} />
            </li>
          ))}
        </ul>
        {!desktopBridge() && (
          <button type="button" className="nav-link sign-out" onClick={signOut}>
            Sign out
          </button>
        )}
      </nav>
      <main className="content">{children}</main>
    </div>
  );
}
