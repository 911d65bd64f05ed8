// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoginPage } from './LoginPage.tsx';

const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('LoginPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('checks the key against the admin API before signing in', async () => {
    const fetchMock = vi.fn(async () => answer(200, { status: 'running' }));
    vi.stubGlobal('fetch', fetchMock);
    const onSignedIn = vi.fn();
    render(<LoginPage onSignedIn={onSignedIn} />);
    await userEvent.type(screen.getByLabelText('Master key'), '  sk-master  ');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(onSignedIn).toHaveBeenCalledWith('sk-master');
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/admin/overview');
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer sk-master');
  });

  it("shows the gateway's own message for a wrong key and keeps what was typed", async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => answer(401, { error: { message: 'Authentication error: invalid master key.', code: '401' } })),
    );
    const onSignedIn = vi.fn();
    render(<LoginPage onSignedIn={onSignedIn} />);
    await userEvent.type(screen.getByLabelText('Master key'), 'sk-wrong');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'Authentication error: invalid master key. (HTTP 401)');
    expect(screen.getByLabelText('Master key')).toHaveProperty('value', 'sk-wrong');
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it('asks for a key instead of sending an empty one', async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    render(<LoginPage onSignedIn={vi.fn()} />);
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByRole('alert').textContent).toBe('Enter the master key.');
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
