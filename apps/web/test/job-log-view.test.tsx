import type { QueryClient } from '@tanstack/react-query';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOG_PAGE, LOG_POLL_MS } from '../src/api/job-queries.js';
import { applyEvent } from '../src/api/live-updates.js';
import { JobDetailPage } from '../src/pages/job-detail-page.js';
import { renderAt } from './render-at.js';
import { fakeApi, signIn } from './fake-api.js';

const line = (id: number) => ({ id: String(id), at: '2026-01-01T10:00:00Z', level: 'info', line: `step ${id}` });

/** A job whose log has `written` lines (ids 1..written); the API answers `after`/`before`/`tail`/`limit` like the real one. */
function setup(state = 'running', error: string | null = null) {
  const job = { id: 'j1', type: 'node.create', state, error, attempts: 1, maxAttempts: 3, progress: 10, targetType: 'node', targetId: 'n1', createdAt: '2026-01-01T10:00:00Z', startedAt: null, finishedAt: null };
  // `held`: log answers are read when asked for but wait until `release()`, as a slow request would.
  const log = { written: 2, held: false, release: () => {} };
  let waiting: (() => void)[] = [];
  log.release = () => {
    for (const answer of waiting) answer();
    waiting = [];
  };
  const seen = fakeApi((req) => {
    if (req.path === '/api/v1/jobs/j1') return { status: 200, body: { ...job } };
    if (req.path === '/api/v1/jobs/j1/logs') {
      const after = Number(req.query.after ?? 0);
      const before = Number(req.query.before ?? log.written + 1);
      const limit = Number(req.query.limit ?? 1000);
      const ids = [];
      for (let id = after + 1; id < before && id <= log.written; id++) ids.push(id);
      const page = req.query.tail ? ids.slice(-limit) : ids.slice(0, limit);
      const answer = { status: 200, body: { items: page.map(line), total: log.written } };
      return log.held ? new Promise((resolve) => waiting.push(() => resolve(answer))) : answer;
    }
    return { status: 404, body: { status: 404, detail: 'no fake' } };
  });
  /** Each log request as `tail`, `after N` or `before N`. */
  const logRequests = () =>
    seen.filter((r) => r.path === '/api/v1/jobs/j1/logs').map((r) => (r.query.before ? `before ${r.query.before}` : r.query.tail ? 'tail' : `after ${r.query.after}`));
  return { job, log, logRequests };
}

const renderPage = () => renderAt('/jobs/j1', <Route path="/jobs/:id" element={<JobDetailPage />} />);
const logText = () => screen.getByLabelText('Job log').textContent ?? '';
/** A running job's page, its first two lines shown. */
async function openRunningJob() {
  signIn('observer');
  const api = setup();
  const { client } = renderPage();
  await waitFor(() => expect(logText()).toContain('step 2'));
  return { ...api, client };
}
/** The event the API sends once lines `first`..`last` are stored: their ids, never their text. */
const stored = (first: number, last: number) => ({ type: 'job.log' as const, id: 'j1', count: last - first + 1, firstLineId: String(first), lastLineId: String(last) });
const logged = (client: QueryClient, first: number, last: number) => act(() => applyEvent(client, stored(first, last)));

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the live job log', () => {
  it('loads the first page, then on each log event fetches only the lines after the last one and appends them', async () => {
    const { log, logRequests, client } = await openRunningJob();
    log.written = 4;
    await logged(client, 3, 4);
    await waitFor(() => expect(logText()).toContain('step 4'));
    expect(logRequests()).toEqual(['tail', 'after 2']);
    expect(logText().match(/step \d/g)).toEqual(['step 1', 'step 2', 'step 3', 'step 4']);
    expect(screen.getByText(/4 lines, following the job/)).toBeTruthy();
  });

  it('spends one request on a burst of log events', async () => {
    const { log, logRequests, client } = await openRunningJob();
    log.written = 12;
    // Ten events in one go, as a batch of lines arrives: each invalidation cancels the refetch before.
    act(() => {
      for (let i = 0; i < 10; i++) applyEvent(client, stored(i + 3, i + 3));
    });
    await waitFor(() => expect(logText()).toContain('step 12'));
    expect(logRequests()).toEqual(['tail', 'after 2']);
  });

  it('does not take a request sent before lines were announced, or before the end, as the answer for them', async () => {
    const { job, log, logRequests, client } = await openRunningJob();
    log.held = true;
    log.written = 3;
    await logged(client, 3, 3);
    await waitFor(() => expect(logRequests()).toEqual(['tail', 'after 2']));
    // While that request is out: two more lines, then the job's end.
    log.written = 5;
    await logged(client, 4, 5);
    job.state = 'succeeded';
    await act(() => applyEvent(client, { type: 'job', id: 'j1', state: 'succeeded', jobType: 'node.create', targetId: 'n1', progress: 100 }));
    await waitFor(() => expect(screen.queryByText(/following the job/)).toBeNull());
    expect(logRequests()).toEqual(['tail', 'after 2']); // the next waits for the one in flight
    log.held = false;
    await act(async () => log.release());
    await waitFor(() => expect(logText()).toContain('step 5'));
    expect(logRequests()).toEqual(['tail', 'after 2', 'after 2']);
  });

  it('reads again when its very first request was out as the job ended (a quick command)', async () => {
    signIn('observer');
    const { job, log, logRequests } = setup();
    log.held = true;
    const { client } = renderPage();
    await waitFor(() => expect(logRequests()).toEqual(['tail']));
    // The job writes its last lines and ends before that first answer comes back.
    log.written = 5;
    job.state = 'succeeded';
    await act(() => applyEvent(client, { type: 'job', id: 'j1', state: 'succeeded', jobType: 'node.create', targetId: 'n1', progress: 100 }));
    log.held = false; // what is asked from now on is answered at once
    await act(async () => log.release()); // the first answer: lines 1 and 2, read before the end
    await waitFor(() => expect(logText()).toContain('step 5'));
    expect(logRequests()).toEqual(['tail', 'after 2']);
  });

  it('does not fetch for an event announcing lines it already holds', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { log, logRequests, client } = await openRunningJob();
    log.written = 3;
    await act(() => vi.advanceTimersByTimeAsync(LOG_POLL_MS + 100)); // the poll gets line 3 first
    await waitFor(() => expect(logText()).toContain('step 3'));
    await logged(client, 3, 3);
    await logged(client, 1, 2);
    await act(() => vi.advanceTimersByTimeAsync(100));
    expect(logRequests()).toEqual(['tail', 'after 2']);
    log.written = 4;
    await logged(client, 4, 4);
    await waitFor(() => expect(logText()).toContain('step 4'));
    expect(logRequests()).toEqual(['tail', 'after 2', 'after 3']);
  });

  it('polls while the job runs, and stops after one last fetch when the job ends', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { job, log, logRequests, client } = await openRunningJob();
    log.written = 3;
    await act(() => vi.advanceTimersByTimeAsync(LOG_POLL_MS + 100));
    await waitFor(() => expect(logText()).toContain('step 3'));
    expect(logRequests()).toEqual(['tail', 'after 2']);

    log.written = 5; // the last lines, stored as the job ended
    job.state = 'succeeded';
    await act(() => applyEvent(client, { type: 'job', id: 'j1', state: 'succeeded', jobType: 'node.create', targetId: 'n1', progress: 100 }));
    await waitFor(() => expect(logText()).toContain('step 5'));
    expect(screen.queryByText(/following the job/)).toBeNull();
    const settled = logRequests().length;
    await act(() => vi.advanceTimersByTimeAsync(LOG_POLL_MS * 4));
    expect(logRequests().length).toBe(settled);
  });

  it('starts a long log at its end, and loads earlier lines on demand without moving the reader', async () => {
    signIn('observer');
    const { log, logRequests } = setup('failed', 'converge failed');
    log.written = LOG_PAGE + 5;
    renderPage();
    const earlier = await screen.findByRole('button', { name: 'Load earlier lines' });
    expect(screen.getByText(`The newest ${LOG_PAGE} of ${LOG_PAGE + 5} lines`)).toBeTruthy();
    expect(logText()).toContain(`step ${LOG_PAGE + 5}\n`); // where a failed run says why
    expect(logText()).not.toMatch(/step 5\n/);

    const box = screen.getByLabelText('Job log');
    let height = 2000;
    Object.defineProperty(box, 'scrollHeight', { configurable: true, get: () => height });
    box.scrollTop = 700;
    fireEvent.click(earlier);
    height = 2010; // five more lines above
    await waitFor(() => expect(logText()).toMatch(/^[^\n]* step 1\n/));
    expect(box.scrollTop).toBe(710);
    expect(logRequests()).toEqual(['tail', 'before 6']);
    expect(screen.queryByRole('button', { name: 'Load earlier lines' })).toBeNull();
    expect(screen.getByText(`${LOG_PAGE + 5} lines`)).toBeTruthy();
  });

  it('offers the lines after a full page on demand once the job has ended', async () => {
    const { job, log, logRequests, client } = await openRunningJob();
    log.written = 2 + LOG_PAGE + 3; // a burst larger than a page, just before the end
    job.state = 'succeeded';
    await act(() => applyEvent(client, { type: 'job', id: 'j1', state: 'succeeded', jobType: 'node.create', targetId: 'n1', progress: 100 }));
    const more = await screen.findByRole('button', { name: 'Load more lines' });
    expect(logText()).toContain(`step ${LOG_PAGE + 2}\n`);
    fireEvent.click(more);
    await waitFor(() => expect(logText()).toContain(`step ${LOG_PAGE + 5}`));
    expect(logRequests().slice(-2)).toEqual(['after 2', `after ${LOG_PAGE + 2}`]);
    expect(screen.queryByRole('button', { name: 'Load more lines' })).toBeNull();
  });

  it('follows new lines only while the reader is at the end', async () => {
    const { log, client } = await openRunningJob();
    const box = screen.getByLabelText('Job log');
    let height = 1000;
    Object.defineProperty(box, 'clientHeight', { configurable: true, get: () => 200 });
    Object.defineProperty(box, 'scrollHeight', { configurable: true, get: () => height });

    /** The reader leaves the box at `top`, then line `n` arrives and makes the content `grown` high. */
    const readAtThenLog = async (top: number, grown: number, n: number) => {
      box.scrollTop = top;
      fireEvent.scroll(box);
      height = grown;
      log.written = n;
      await logged(client, n, n);
      await waitFor(() => expect(logText()).toContain(`step ${n}`));
    };
    await readAtThenLog(800, 1400, 3); // at the end: follows
    expect(box.scrollTop).toBe(1400);
    await readAtThenLog(300, 1800, 4); // scrolled up to read: stays
    expect(box.scrollTop).toBe(300);
  });

  it('shows the error of a failed job prominently', async () => {
    signIn('observer');
    setup('failed', 'provider refused: quota exceeded');
    renderPage();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('This job failed:provider refused: quota exceeded');
    expect(alert.compareDocumentPosition(screen.getByLabelText('Job log')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });
});
