/** Logs: the gateway's debug log as it happens, filtered by level and text, with pause and clear. */
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { PageHeader } from '../components/PageHeader.tsx';
import { SelectField, TextField } from '../components/Field.tsx';
import { EmptyState, ErrorState, errorMessage } from '../components/StateViews.tsx';
import { formatNumber } from '../components/format.ts';
import { LEVELS, type LogEntry } from './logs/format.ts';
import { MAX_LINES, useLogTail, type LogTail } from './logs/useLogTail.ts';

/** The levels offered in the filter (fatal lines show with Error). */
const LEVEL_OPTIONS = LEVELS.filter((l) => l.value <= 50).map((l) => ({ value: String(l.value), label: l.label }));

/** Within this many pixels of the bottom counts as "at the bottom": new lines keep it there. */
const STICK_PX = 24;

function StatusLine({ tail }: { tail: LogTail }) {
  const text = tail.status === 'live' ? 'Live' : tail.status === 'connecting' ? 'Connecting…' : tail.status === 'reconnecting' ? 'Reconnecting…' : 'Stopped';
  const tone = tail.status === 'live' ? 'badge-ok' : tail.status === 'failed' ? 'badge-danger' : 'badge-warning';
  return (
    <div className="row log-status" role="status" aria-live="polite">
      <span className={`badge ${tone}`}>{text}</span>
      {tail.status === 'reconnecting' && tail.error !== undefined && <span className="muted">{errorMessage(tail.error)}</span>}
      {tail.status === 'reconnecting' && tail.error === undefined && <span className="muted">The stream ended.</span>}
      {tail.paused && tail.newWhilePaused > 0 && (
        <span className="log-waiting">
          {formatNumber(tail.newWhilePaused)} new {tail.newWhilePaused === 1 ? 'line' : 'lines'}
        </span>
      )}
    </div>
  );
}

function Line({ entry }: { entry: LogEntry }) {
  return (
    <div className="log-line">
      <span className="log-time muted">{entry.time}</span> <span className={`log-level log-level-${entry.levelName}`}>{entry.levelName.toUpperCase()}</span>{' '}
      <span className="log-msg">{entry.msg}</span>
      {entry.fields && (
        <>
          {' '}
          <span className="log-fields muted">{entry.fields}</span>
        </>
      )}
    </div>
  );
}

export function LogsPage() {
  const tail = useLogTail();
  const [minLevel, setMinLevel] = useState('20');
  const [search, setSearch] = useState('');
  const viewRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const [scrolledUp, setScrolledUp] = useState(false);

  const needle = search.trim().toLowerCase();
  const shown = useMemo(() => {
    const min = Number(minLevel);
    return tail.lines.filter((e) => e.level >= min && (!needle || e.search.includes(needle)));
  }, [tail.lines, minLevel, needle]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after each change of the lines shown, to keep the view at the bottom
  useLayoutEffect(() => {
    const view = viewRef.current;
    if (view && stick.current) view.scrollTop = view.scrollHeight;
  }, [shown]);

  const onScroll = () => {
    const view = viewRef.current;
    if (!view) return;
    const atBottom = view.scrollHeight - view.scrollTop - view.clientHeight <= STICK_PX;
    stick.current = atBottom;
    setScrolledUp(!atBottom);
  };
  const toBottom = () => {
    const view = viewRef.current;
    stick.current = true;
    setScrolledUp(false);
    if (view) view.scrollTop = view.scrollHeight;
  };

  const filtered = tail.lines.length > 0 && shown.length === 0;

  return (
    <>
      <PageHeader title="Logs" description={`The gateway's debug log, live (the last ${formatNumber(MAX_LINES)} lines). Secrets arrive masked.`} />
      <div className="toolbar log-toolbar">
        <SelectField label="Level" value={minLevel} onChange={(e) => setMinLevel(e.target.value)} options={LEVEL_OPTIONS} title="Shows this level and above" />
        <TextField label="Search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} spellCheck={false} autoComplete="off" />
        <div className="row log-buttons">
          {tail.paused ? (
            <button type="button" className="button primary" onClick={tail.resume}>
              Resume
            </button>
          ) : (
            <button type="button" className="button" onClick={tail.pause}>
              Pause
            </button>
          )}
          <button type="button" className="button" onClick={tail.clear}>
            Clear
          </button>
        </div>
      </div>
      {tail.status === 'failed' ? <ErrorState error={tail.error} title="The log stream stopped" onRetry={tail.retry} /> : <StatusLine tail={tail} />}
      <div className="log-frame">
        <div ref={viewRef} className="log-view" role="log" aria-label="Log lines" aria-live="off" tabIndex={0} onScroll={onScroll}>
          {shown.map((entry) => (
            <Line key={entry.id} entry={entry} />
          ))}
          {tail.lines.length === 0 && (
            <EmptyState title={tail.status === 'live' ? 'No log lines yet' : 'Waiting for the log stream…'}>
              Lines appear here as the gateway handles requests.
            </EmptyState>
          )}
          {filtered && <EmptyState title="No lines match">{formatNumber(tail.lines.length)} lines are hidden by the level or the search.</EmptyState>}
        </div>
        {scrolledUp && (
          <button type="button" className="button small log-jump" onClick={toBottom}>
            Jump to latest
          </button>
        )}
      </div>
    </>
  );
}
