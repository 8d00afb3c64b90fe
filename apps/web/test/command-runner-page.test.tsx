import { cleanup, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { splitByNode } from '../src/api/command-queries.js';
import { applyEvent } from '../src/api/live-updates.js';
import { CommandRunnerPage } from '../src/pages/command-runner-page.js';
import { fakeApi, problem, signIn, type FakeRequest } from './fake-api.js';
import { renderAt } from './render-at.js';

const node = (id: string, name: string, tags: string[] = []) => ({
  id, providerId: 'p1', providerNodeId: id, name, state: 'running', publicIps: [], privateIps: [], imageId: null, sizeId: null, locationId: null, extra: {}, tags, facts: null,
  createdBy: null, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', destroyedBy: null, destroyedAt: null, decommissionedAt: null, configMode: null, agent: null,
});
const NODES = [node('n1', 'web-1', ['web']), node('n2', 'web-2', ['web']), node('n3', 'db-1')];

function setup(before?: (req: FakeRequest) => void) {
  const job = { id: 'j1', type: 'nodes.run', state: 'running', targetType: 'node', targetId: 'n1', providerId: 'p1', progress: 0, attempts: 1, maxAttempts: 1, result: null as unknown, error: null, createdBy: 'u1', createdAt: '2026-01-01T00:00:00Z', startedAt: null, finishedAt: null, updatedAt: '2026-01-01T00:00:00Z' };
  const lines: string[] = [];
  const history: unknown[] = [];
  let runs = 0;
  const seen = fakeApi((req: FakeRequest) => {
    before?.(req);
    const one = NODES.find((n) => req.path === `/api/v1/nodes/${n.id}`);
    if (one) return { status: 200, body: one };
    if (req.path === '/api/v1/nodes') {
      const items = NODES.filter((n) => (!req.query.tag || n.tags.includes(String(req.query.tag))) && (!req.query.search || n.name.includes(String(req.query.search))));
      return { status: 200, body: { items, page: 1, limit: 50, total: items.length } };
    }
    if (req.method === 'POST' && req.path === '/api/v1/nodes/actions/run') {
      const body = req.body as { command: string; nodeIds: string[] };
      if (body.command === 'refused') return problem(409, 'Cannot run commands on db-1 (not a registered server)', 'req-run');
      runs++;
      const id = `j${runs}`;
      history.unshift({ id: `h${runs}`, command: body.command, nodeIds: body.nodeIds, jobId: id, jobState: 'running', createdAt: new Date().toISOString() });
      if (runs > 1) Object.assign(job, { id, state: 'running', result: null });
      return { status: 202, body: { ...job, id } };
    }
    if (req.path === '/api/v1/nodes/actions/run/history') return { status: 200, body: { items: history, page: 1, limit: 20, total: history.length } };
    if (/^\/api\/v1\/jobs\/j\d$/.test(req.path)) return { status: 200, body: { ...job } };
    if (/^\/api\/v1\/jobs\/j\d\/logs$/.test(req.path)) {
      const after = Number(req.query.after ?? 0);
      const items = lines.map((line, i) => ({ id: String(i + 1), at: '2026-01-01T00:00:00Z', level: 'info', line })).filter((l) => Number(l.id) > after);
      return { status: 200, body: { items, total: lines.length } };
    }
    return { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } };
  });
  return { seen, job, lines };
}

const renderPage = (path: string) => renderAt(path, <Route path="/commands" element={<CommandRunnerPage />} />);
const runs = (seen: FakeRequest[]) => seen.filter((r) => r.method === 'POST').map((r) => r.body);

// Wide margins for a busy machine: names and jobs arrive through several requests.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('splitting a command log by node', () => {
  it("puts each `[name] line` in the node's pane, reads exit codes and errors, and keeps the job's own lines apart", () => {
    const { panes, own } = splitByNode(
      ['running on 2 node(s): uptime', '[web-1] up 3 days', '[web-2] did not run: SSH connection to 10.0.0.2:22 failed', '[web-1] exit code 0', '[web-10] other', '1 of 2 node(s) exited 0'],
      ['web-1', 'web-2'],
    );
    expect(panes.get('web-1')).toEqual({ lines: ['up 3 days'], exitCode: 0 });
    expect(panes.get('web-2')).toEqual({ lines: [], exitCode: undefined, error: 'SSH connection to 10.0.0.2:22 failed' });
    expect(own).toEqual(['running on 2 node(s): uptime', '[web-10] other', '1 of 2 node(s) exited 0']);
  });
});

describe('the command runner', () => {
  it("runs on the nodes picked in the list: each node's output live in its pane, its exit code, then the re-run on the failed one", async () => {
    signIn('operator');
    const { seen, job, lines } = setup();
    const { client } = renderPage('/commands?nodes=n1,n2');
    fireEvent.change(screen.getByRole('textbox', { name: /^Command/ }), { target: { value: 'systemctl is-active nginx' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Run on 2 nodes' }));
    const pane = async (name: string) => screen.findByRole('group', { name: `Output of ${name}` });
    expect(within(await pane('web-1')).getByText('running')).toBeTruthy();

    lines.push('running on 2 node(s): systemctl is-active nginx', '[web-1] active', '[web-2] inactive');
    applyEvent(client, { type: 'job.log', id: 'j1', count: 3, firstLineId: '1', lastLineId: '3' } as never);
    await waitFor(async () => expect((await pane('web-2')).querySelector('[data-output]')!.textContent).toBe('inactive'));
    expect((await pane('web-1')).querySelector('[data-output]')!.textContent).toBe('active');

    lines.push('[web-1] exit code 0', '[web-2] exit code 3', '1 of 2 node(s) exited 0');
    Object.assign(job, { state: 'succeeded', result: { results: [{ nodeId: 'n1', exitCode: 0, ok: true }, { nodeId: 'n2', exitCode: 3, ok: false }] } });
    applyEvent(client, { type: 'job', id: 'j1', state: 'succeeded', jobType: 'nodes.run', targetId: 'n1', progress: 100 });
    applyEvent(client, { type: 'job.log', id: 'j1', count: 3, firstLineId: '4', lastLineId: '6' } as never);
    await waitFor(async () => expect(within(await pane('web-2')).getByText('exit 3')).toBeTruthy());
    expect(within(await pane('web-1')).getByText('exit 0')).toBeTruthy();

    fireEvent.click(await screen.findByRole('button', { name: 'Run again on the 1 failed' }));
    await waitFor(() => expect(runs(seen)).toHaveLength(2));
    expect(runs(seen)).toEqual([{ nodeIds: ['n1', 'n2'], command: 'systemctl is-active nginx' }, { nodeIds: ['n2'], command: 'systemctl is-active nginx' }]);
    await waitFor(() => expect(screen.queryByRole('group', { name: 'Output of web-1' })).toBeNull());
    expect(await pane('web-2')).toBeTruthy();
  });

  it('shows an exit code only with the output that led to it, when the job ended before its log was first read', async () => {
    signIn('operator');
    // The job's first read finds it ended; the log's first read, sent alongside, finds none of its lines yet.
    let logReads = 0;
    const { job, lines } = setup((req) => {
      if (req.path === '/api/v1/jobs/j1') Object.assign(job, { state: 'succeeded', result: { results: [{ nodeId: 'n1', exitCode: 0, ok: true }] } });
      if (req.path === '/api/v1/jobs/j1/logs' && logReads++ === 1) lines.push('running on 1 node(s): uname -s', '[web-1] Linux', '[web-1] exit code 0');
    });
    renderPage('/commands?nodes=n1');
    fireEvent.change(screen.getByRole('textbox', { name: /^Command/ }), { target: { value: 'uname -s' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Run on 1 node' }));
    const pane = await screen.findByRole('group', { name: 'Output of web-1' });
    await waitFor(() => expect(within(pane).getByText('exit 0')).toBeTruthy());
    expect(pane.querySelector('[data-output]')!.textContent).toBe('Linux');
  });

  it('runs on every node with a tag, and shows a refusal with its request id', async () => {
    signIn('operator');
    const { seen } = setup();
    renderPage('/commands');
    fireEvent.click(screen.getByRole('radio', { name: 'Tag' }));
    fireEvent.change(screen.getByRole('textbox', { name: /^Tag/ }), { target: { value: 'web' } });
    fireEvent.change(screen.getByRole('textbox', { name: /^Command/ }), { target: { value: 'uptime' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run on the tagged nodes' }));
    await waitFor(() => expect(runs(seen)).toEqual([{ nodeIds: ['n1', 'n2'], command: 'uptime' }]));
    await screen.findByRole('group', { name: 'Output of web-2' });

    fireEvent.change(screen.getByRole('textbox', { name: /^Command/ }), { target: { value: 'refused' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run on the tagged nodes' }));
    await screen.findByText('req-run');
    expect(screen.getByText(/not a registered server/)).toBeTruthy();
  });

  it('lists your history; a past command opens its output or fills the form again', async () => {
    signIn('operator');
    const { seen } = setup();
    renderPage('/commands?nodes=n3');
    fireEvent.change(screen.getByRole('textbox', { name: /^Command/ }), { target: { value: 'df -h' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Run on 1 node' }));
    const history = await screen.findByRole('table', { name: 'Command history' });
    await within(history).findByText('df -h');
    fireEvent.change(screen.getByRole('textbox', { name: /^Command/ }), { target: { value: '' } });
    fireEvent.click(within(history).getByRole('button', { name: 'Use again: df -h' }));
    expect((screen.getByRole('textbox', { name: /^Command/ }) as HTMLTextAreaElement).value).toBe('df -h');
    expect(seen.some((r) => r.path === '/api/v1/nodes/actions/run/history')).toBe(true);
  });
});
