import type { JobLogLine } from '@overmind/sdk';
import { memo, useLayoutEffect, useRef } from 'react';
import { useJobLog } from '../api/job-queries.js';
import { ErrorNotice } from '../components/error-notice.js';

// One formatter for every line: toLocaleTimeString would build one per call, slow for thousands.
const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const format = (l: JobLogLine) => `${TIME.format(new Date(l.at))} ${l.level.padEnd(5)} ${l.line}\n`;

/** One answer's lines as one text node: appending a chunk leaves the ones before untouched. */
const LogChunk = memo(function LogChunk({ lines }: { lines: JobLogLine[] }) {
  return <>{lines.map(format).join('')}</>;
});

// Within this many pixels of the bottom counts as "at the end" (zoom and fractional pixels).
const END_SLACK = 8;

/**
 * The log of a job, growing while it runs. It follows new lines only if the reader is already at the
 * end; scrolled up to read, the reader stays where they are.
 */
export function JobLogView({ id, live }: { id: string; live: boolean }) {
  const { log, error, loadMore, loadEarlier, loadingEarlier } = useJobLog(id, live);
  const box = useRef<HTMLPreElement>(null);
  const atEnd = useRef(true);
  // Lines put before the ones shown must not move what the reader is looking at.
  const heightBefore = useRef<number | null>(null);
  const firstId = log?.firstId;
  useLayoutEffect(() => {
    const el = box.current;
    if (el && heightBefore.current !== null) el.scrollTop += el.scrollHeight - heightBefore.current;
    heightBefore.current = null;
  }, [firstId]);
  const onEarlier = () => {
    heightBefore.current = box.current?.scrollHeight ?? null;
    loadEarlier();
  };
  const onScroll = () => {
    const el = box.current;
    if (el) atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight <= END_SLACK;
  };
  const lastId = log?.lastId;
  useLayoutEffect(() => {
    const el = box.current;
    if (el && atEnd.current) el.scrollTop = el.scrollHeight;
  }, [lastId]);
  const lines = log?.chunks.reduce((n, c) => n + c.length, 0) ?? 0;
  return (
    <>
      <ErrorNotice error={error} />
      {log?.earlier && (
        <p className="log-footer">
          <span>The newest {lines} of {log.total} lines</span>
          <button type="button" onClick={onEarlier} disabled={loadingEarlier}>{loadingEarlier ? 'Loading…' : 'Load earlier lines'}</button>
        </p>
      )}
      <pre className="log" ref={box} onScroll={onScroll} aria-label="Job log" tabIndex={0}>
        {log?.chunks.map((c) => <LogChunk key={c[0]!.id} lines={c} />)}
        {log && lines === 0 && 'No log lines yet.'}
        {!log && !error && 'Loading…'}
      </pre>
      {(lines > 0 || live) && (
        <p className="log-footer">
          <span>{lines} {lines === 1 ? 'line' : 'lines'}{live ? ', following the job' : ''}</span>
          {log?.more && <button type="button" onClick={loadMore}>Load more lines</button>}
        </p>
      )}
    </>
  );
}
