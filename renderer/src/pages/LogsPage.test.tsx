// @vitest-environment jsdom
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReplayFilter } from '../api/logs.ts';
import type { LogLine } from '../api/types.ts';
import { fakeGateway, jsonResponse, renderPage } from '../test-utils.tsx';
import { LogsPage } from './LogsPage.tsx';
import { formatFields, levelName } from './logs/format.ts';

/** A server-sent-events body the test writes to as it goes. */
function sseStream() {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return {
    response: () => new Response(stream, { headers: { 'content-type': 'text/event-stream' } }),
    write: (text: string) => act(async () => controller.enqueue(encoder.encode(text))),
    send: (...lines: LogLine[]) => act(async () => controller.enqueue(encoder.encode(lines.map((l) => `event: log\ndata: ${JSON.stringify(l)}\n\n`).join('')))),
    close: () => act(async () => controller.close()),
  };
}

const T0 = new Date(2026, 0, 2, 14, 3, 27, 120).getTime();
const line = (level: number, msg: string, fields: Record<string, unknown> = {}, time = T0): LogLine => ({ level, time, pid: 1, hostname: 'h', msg, ...fields });

const logView = () => screen.getByRole('log', { name: 'Log lines' });
const shownLines = () => [...logView().querySelectorAll('.log-line')].map((el) => el.textContent);
/** The status line above the log: its badge ('Live', 'Reconnecting…'), then any notes after it. */
const statusLine = () => [...(document.querySelector('.log-status')?.children ?? [])].map((el) => el.textContent);
const statusTone = () => document.querySelector('.log-status .badge')?.className;

describe('LogsPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reads the stream with the master key and parses events split across chunks into lines', async () => {
    const sse = sseStream();
    const gateway = fakeGateway({ 'GET /admin/logs/stream': () => sse.response() });
    renderPage(<LogsPage />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Logs');
    await waitFor(() => expect(gateway.callsTo('GET', '/admin/logs/stream')).toHaveLength(1));
    expect(gateway.callsTo('GET', '/admin/logs/stream')[0]!.headers.authorization).toBe('Bearer sk-test-master');

    const request = JSON.stringify(line(20, 'request', { model: 'gpt-4o', status: 200, ms: 12.5, path: '/v1/chat/completions' }));
    await sse.write(': ping\n\nevent: log\ndata: ');
    expect(shownLines()).toEqual([]);
    await sse.write(`${request.slice(0, 20)}`);
    await sse.write(`${request.slice(20)}\n\nevent: log\ndata: ${JSON.stringify(line(30, 'gateway listening', { port: 4000 }, T0 + 5))}\n\n`);
    await waitFor(() => expect(shownLines()).toHaveLength(2));
    expect(shownLines()[0]).toBe('14:03:27.120 DEBUG request model=gpt-4o status=200 ms=12.5 path=/v1/chat/completions');
    expect(shownLines()[1]).toBe('14:03:27.125 INFO gateway listening port=4000');
    expect(statusLine()).toEqual(['Live']);
    expect(statusTone()).toBe('badge badge-ok');
  });

  it('never shows a secret-named field unmasked', async () => {
    const sse = sseStream();
    fakeGateway({ 'GET /admin/logs/stream': () => sse.response() });
    renderPage(<LogsPage />);
    await sse.send(
      line(20, 'upstream', {
        authorization: 'Bearer sk-live-secret',
        api_key: 'sk-…abcd',
        headers: { 'x-api-key': 'sk-ant-raw', accept: 'json' },
        master_key: '[masked]',
        prompt_tokens: 12,
      }),
    );
    await waitFor(() => expect(shownLines()).toHaveLength(1));
    const text = shownLines()[0]!;
    expect(text).not.toContain('sk-live-secret');
    expect(text).not.toContain('sk-ant-raw');
    expect(text).toContain('authorization=[masked]');
    expect(text).toContain('api_key=sk-…abcd');
    expect(text).toContain('headers={"x-api-key":"[masked]","accept":"json"}');
    expect(text).toContain('master_key=[masked]');
    expect(text).toContain('prompt_tokens=12');
  });

  it('filters by level (Debug and above by default) and by text, case-insensitively', async () => {
    const sse = sseStream();
    fakeGateway({ 'GET /admin/logs/stream': () => sse.response() });
    renderPage(<LogsPage />);
    await sse.send(
      line(10, 'trace detail'),
      line(20, 'request', { model: 'GPT-4o' }),
      line(30, 'config reloaded'),
      line(40, 'deployment cooling down', { model: 'claude' }),
      line(50, 'upstream failed', { model: 'gpt-4o', status: 502 }),
      line(60, 'fatal thing'),
    );
    await waitFor(() => expect(shownLines()).toHaveLength(5));
    const level = screen.getByLabelText('Level') as HTMLSelectElement;
    expect(level.value).toBe('20');
    expect([...level.options].map((o) => o.text)).toEqual(['Trace', 'Debug', 'Info', 'Warn', 'Error']);
    expect(shownLines().some((l) => l?.includes('trace detail'))).toBe(false);

    await userEvent.selectOptions(level, 'Trace');
    expect(shownLines()).toHaveLength(6);
    await userEvent.selectOptions(level, 'Warn');
    expect(shownLines().map((l) => l?.split(' ')[1])).toEqual(['WARN', 'ERROR', 'FATAL']);

    await userEvent.selectOptions(level, 'Debug');
    await userEvent.type(screen.getByLabelText('Search'), 'gpt-4O');
    expect(shownLines().map((l) => l?.split(' ').slice(2, 3)[0])).toEqual(['request', 'upstream']);
    await userEvent.clear(screen.getByLabelText('Search'));
    await userEvent.type(screen.getByLabelText('Search'), 'nothing like this');
    expect(shownLines()).toEqual([]);
    expect(within(logView()).getByText('No lines match').nextElementSibling?.textContent).toBe('6 lines are hidden by the level or the search.');
  });

  it('holds new lines while paused, counts them, and appends them on resume; Clear empties the view', async () => {
    const sse = sseStream();
    fakeGateway({ 'GET /admin/logs/stream': () => sse.response() });
    renderPage(<LogsPage />);
    await sse.send(line(30, 'first'));
    await waitFor(() => expect(shownLines()).toHaveLength(1));

    await userEvent.click(screen.getByRole('button', { name: 'Pause' }));
    await sse.send(line(30, 'second', {}, T0 + 1), line(30, 'third', {}, T0 + 2));
    await sse.send(line(30, 'fourth', {}, T0 + 3));
    await waitFor(() => expect(statusLine()).toEqual(['Live', '3 new lines']));
    expect(shownLines()).toHaveLength(1);

    await userEvent.click(screen.getByRole('button', { name: 'Resume' }));
    expect(shownLines().map((l) => l?.split(' ')[2])).toEqual(['first', 'second', 'third', 'fourth']);
    expect(screen.queryByText(/new lines?$/)).toBeNull();
    expect(screen.getByRole('button', { name: /^(Pause|Resume)$/ }).textContent).toBe('Pause');

    await userEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(shownLines()).toEqual([]);
    await sse.send(line(30, 'fifth', {}, T0 + 4));
    await waitFor(() => expect(shownLines().map((l) => l?.split(' ')[2])).toEqual(['fifth']));
  });

  it('reconnects after the stream drops, without repeating the tail it already showed, and stops on unmount', async () => {
    const streams = [sseStream(), sseStream()];
    let call = 0;
    const gateway = fakeGateway({ 'GET /admin/logs/stream': () => streams[call++]!.response() });
    const view = renderPage(<LogsPage />);
    await streams[0]!.send(line(30, 'one', {}, T0), line(30, 'two', {}, T0 + 1));
    await waitFor(() => expect(shownLines()).toHaveLength(2));

    await streams[0]!.close();
    await waitFor(() => expect(statusLine()).toEqual(['Reconnecting…', 'The stream ended.']));
    expect(statusTone()).toBe('badge badge-warning');
    await waitFor(() => expect(gateway.callsTo('GET', '/admin/logs/stream')).toHaveLength(2), { timeout: 3000 });
    // The server sends its tail again, then something new.
    await streams[1]!.send(line(30, 'one', {}, T0), line(30, 'two', {}, T0 + 1), line(30, 'three', {}, T0 + 2));
    await waitFor(() => expect(shownLines().map((l) => l?.split(' ')[2])).toEqual(['one', 'two', 'three']));
    expect(statusLine()).toEqual(['Live']);

    const init = gateway.fetchMock.mock.calls[1]![1] as RequestInit;
    expect(init.signal?.aborted).toBe(false);
    view.unmount();
    expect(init.signal?.aborted).toBe(true);
  });

  it('keeps retrying while the gateway cannot be reached', async () => {
    const sse = sseStream();
    let call = 0;
    fakeGateway({
      'GET /admin/logs/stream': () => (call++ === 0 ? jsonResponse(503, { error: { message: 'Gateway is restarting' } }) : sse.response()),
    });
    renderPage(<LogsPage />);
    await waitFor(() => expect(statusLine()).toEqual(['Reconnecting…', 'Gateway is restarting (HTTP 503)']));
    await sse.send(line(30, 'back'));
    await waitFor(() => expect(shownLines()).toHaveLength(1), { timeout: 3000 });
    expect(statusLine()).toEqual(['Live']);
  });

  it('stops on a refusal that asking again will not fix, and Retry connects again', async () => {
    const sse = sseStream();
    let call = 0;
    fakeGateway({
      'GET /admin/logs/stream': () => (call++ === 0 ? jsonResponse(404, { error: { message: 'Not found' } }) : sse.response()),
    });
    renderPage(<LogsPage />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Not found (HTTP 404)');
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    await sse.send(line(30, 'connected'));
    await waitFor(() => expect(shownLines()).toHaveLength(1));
  });
});

describe('log formatting', () => {
  it('names pino levels', () => {
    expect([10, 20, 30, 40, 50, 60, 35].map(levelName)).toEqual(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'info']);
  });

  it('quotes values with spaces and leaves out the standard fields', () => {
    expect(formatFields(line(30, 'x', { error: 'upstream timed out', stream: false, usage: null }))).toBe('error="upstream timed out" stream=false usage=null');
  });

  it('drops replayed lines after a reconnect, but keeps new lines with the same time', () => {
    const filter = new ReplayFilter();
    const r = (l: LogLine) => ({ line: l, raw: JSON.stringify(l) });
    expect(filter.accept(r(line(30, 'a', {}, 1)))).toBe(true);
    expect(filter.accept(r(line(30, 'b', {}, 2)))).toBe(true);
    filter.reconnected();
    expect(filter.accept(r(line(30, 'a', {}, 1)))).toBe(false);
    expect(filter.accept(r(line(30, 'b', {}, 2)))).toBe(false);
    expect(filter.accept(r(line(30, 'c', {}, 2)))).toBe(true);
    expect(filter.accept(r(line(30, 'old-looking', {}, 1)))).toBe(true);
  });
});
