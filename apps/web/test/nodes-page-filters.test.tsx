import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, useLocation } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NodesPage } from '../src/pages/nodes-page.js';
import { renderAt } from './render-at.js';
import { fakeApi, signIn } from './fake-api.js';

const node = (id: string, name: string, tags: string[], decommissionedAt: string | null = null) => ({
  id, name, providerId: 'p1', state: decommissionedAt ? 'terminated' : 'running', publicIps: [], privateIps: [], tags,
  createdAt: '2026-01-01T00:00:00Z', destroyedAt: null, decommissionedAt,
});
const NODES = [node('n1', 'alpha', ['web', 'prod', 'eu', 'ssd', 'blue']), node('n2', 'beta', [], '2026-02-01T00:00:00Z')];

function setup() {
  return fakeApi((req) => {
    if (req.path === '/api/v1/nodes') return { status: 200, body: { items: NODES, page: Number(req.query.page ?? 1), limit: 50, total: 120 } };
    if (req.path === '/api/v1/providers') return { status: 200, body: { items: [], page: 1, limit: 200, total: 0 } };
    return { status: 404, body: { status: 404, detail: 'no fake' } };
  });
}

/** Shows the router's query string, as the address bar would. */
function Address() {
  return <output aria-label="Address">{useLocation().search}</output>;
}

const renderPage = (path: string) => renderAt(path, <Route path="/nodes" element={<><NodesPage /><Address /></>} />);
const address = () => new URLSearchParams(screen.getByRole('status', { name: 'Address' }).textContent ?? '');
const lastQuery = (seen: ReturnType<typeof setup>) => seen.filter((r) => r.path === '/api/v1/nodes').at(-1)?.query;

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the nodes table filters', () => {
  it('sends the OS and fact filters from a shared link and from their inputs', async () => {
    signIn('observer');
    const seen = setup();
    renderPage('/nodes?os=debian%2012');
    await screen.findByRole('link', { name: 'alpha' });
    expect(lastQuery(seen)).toMatchObject({ os: 'debian 12' });
    expect(screen.getByLabelText('OS')).toHaveProperty('value', 'debian 12');
    fireEvent.change(screen.getByLabelText('Fact'), { target: { value: ' virtualization.type=kvm ' } });
    await waitFor(() => expect(lastQuery(seen)).toMatchObject({ os: 'debian 12', fact: 'virtualization.type=kvm' }));
    expect(address().get('fact')).toBe('virtualization.type=kvm');
  });

  it('keeps both of two filters changed before the page renders again (a tag cleared, a search typed)', async () => {
    signIn('observer');
    const seen = setup();
    renderPage('/nodes?tag=blue');
    await screen.findByRole('link', { name: 'alpha' });
    // One act: both changes happen before React renders the first one's navigation (as under load in Chromium).
    act(() => {
      fireEvent.change(screen.getByLabelText('Tag'), { target: { value: '' } });
      fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'gone-' } });
    });
    await waitFor(() => expect(address().get('search')).toBe('gone-'));
    expect(address().get('tag')).toBeNull();
    await waitFor(() => expect(lastQuery(seen)).toMatchObject({ search: 'gone-' }));
    expect(lastQuery(seen)).not.toHaveProperty('tag');
  });

  it('reads the tag and include-gone filters from a shared link and sends them to the API', async () => {
    signIn('observer');
    const seen = setup();
    renderPage('/nodes?tag=web&includeGone=true&page=2');
    await screen.findByRole('link', { name: 'alpha' });
    expect(lastQuery(seen)).toMatchObject({ tag: 'web', includeGone: true, page: 2 });
    expect(screen.getByLabelText('Tag')).toHaveProperty('value', 'web');
    expect(screen.getByLabelText('Include destroyed / decommissioned')).toHaveProperty('checked', true);
  });

  it('keeps changed filters in the URL and goes back to page 1', async () => {
    signIn('observer');
    const seen = setup();
    renderPage('/nodes?page=3&state=running');
    await screen.findByRole('link', { name: 'alpha' });
    expect(lastQuery(seen)).not.toHaveProperty('tag');
    expect(lastQuery(seen)).not.toHaveProperty('includeGone');

    fireEvent.change(screen.getByLabelText('Tag'), { target: { value: 'db' } });
    await waitFor(() => expect(lastQuery(seen)).toMatchObject({ tag: 'db', page: 1, state: 'running' }));
    expect(address().get('tag')).toBe('db');
    expect(address().has('page')).toBe(false);

    await screen.findByText(/^Page 1 of 3/);
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(address().get('page')).toBe('2'));
    fireEvent.click(screen.getByLabelText('Include destroyed / decommissioned'));
    await waitFor(() => expect(lastQuery(seen)).toMatchObject({ tag: 'db', includeGone: true, page: 1 }));
    expect(address().get('includeGone')).toBe('true');
    expect(address().has('page')).toBe(false);

    fireEvent.click(screen.getByLabelText('Include destroyed / decommissioned'));
    await waitFor(() => expect(address().has('includeGone')).toBe(false));
    expect(lastQuery(seen)).not.toHaveProperty('includeGone');
  });

  it('shows a few tags per row and counts the rest, and marks decommissioned nodes', async () => {
    signIn('observer');
    setup();
    renderPage('/nodes?includeGone=true');
    const alpha = (await screen.findByRole('link', { name: 'alpha' })).closest('tr')!;
    const tags = within(alpha).getByRole('list', { name: 'Tags' });
    expect(within(tags).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['web', 'prod', 'eu', '+2 more']);
    expect(within(tags).getByText('+2 more').getAttribute('title')).toBe('ssd, blue');
    expect(screen.getByRole('link', { name: 'beta' }).closest('td')?.textContent).toBe('beta (decommissioned)');
  });

  it('filters and sorts by health and readings from the URL, and shows health and readings bars per row', async () => {
    signIn('observer');
    const readings = { at: '2026-01-01T00:00:00Z', intervalSeconds: 15, cpu: 93.4, memory: 41, disk: 77.5, diskMount: '/var', load: [2, 1, 1] };
    const seen = fakeApi((req) => {
      if (req.path === '/api/v1/nodes') {
        return { status: 200, body: { items: [{ ...NODES[0], health: 'critical', readings }, { ...NODES[1], health: null, readings: null }], page: 1, limit: 50, total: 2 } };
      }
      return { status: 200, body: { items: [], page: 1, limit: 200, total: 0 } };
    });
    renderPage('/nodes?health=critical&minCpu=90&minDisk=abc&sort=cpu&order=desc');
    await screen.findByRole('link', { name: 'alpha' });
    // A minimum that is not a percentage is left out rather than sent.
    expect(lastQuery(seen)).toEqual({ page: 1, limit: 50, sort: 'cpu', order: 'desc', health: 'critical', minCpu: 90 });
    expect(screen.getByRole('columnheader', { name: /CPU/ }).getAttribute('aria-sort')).toBe('descending');
    const alpha = screen.getByRole('link', { name: 'alpha' }).closest('tr')!;
    expect(alpha.querySelector('[data-health]')?.textContent).toBe('critical');
    expect(within(alpha).getByRole('meter', { name: 'CPU' }).getAttribute('value')).toBe('93.4');
    expect(within(alpha).getByTitle('Disk /var 77.5 %').textContent).toBe('78 %');
    const beta = screen.getByRole('link', { name: 'beta' }).closest('tr')!;
    expect(within(beta).queryByRole('meter')).toBeNull();
    expect(within(beta).getByLabelText('CPU: no reading')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Health'), { target: { value: 'stale' } });
    await waitFor(() => expect(lastQuery(seen)).toMatchObject({ health: 'stale' }));
    fireEvent.change(screen.getByLabelText(/Memory ≥/), { target: { value: '50' } });
    await waitFor(() => expect(lastQuery(seen)).toMatchObject({ health: 'stale', minCpu: 90, minMemory: 50 }));
    // A health or readings column sorts worst first on the first click, then flips.
    fireEvent.click(screen.getByRole('button', { name: 'Health' }));
    await waitFor(() => expect(lastQuery(seen)).toMatchObject({ sort: 'health', order: 'desc' }));
    expect(address().get('sort')).toBe('health');
    fireEvent.click(screen.getByRole('button', { name: /^Health/ }));
    await waitFor(() => expect(lastQuery(seen)).toMatchObject({ sort: 'health', order: 'asc' }));
    fireEvent.click(screen.getByRole('button', { name: 'Name' }));
    await waitFor(() => expect(lastQuery(seen)).toMatchObject({ sort: 'name', order: 'asc' }));
  });

  it("opens a row's actions menu when asked (it is made then) and goes to the node's jobs from it", async () => {
    signIn('observer');
    setup();
    renderAt('/nodes', <><Route path="/nodes" element={<NodesPage />} /><Route path="/jobs" element={<><p>jobs page</p><Address /></>} /></>);
    await screen.findByRole('link', { name: 'alpha' });
    expect(screen.queryByRole('menu')).toBeNull();
    const trigger = screen.getByRole('button', { name: 'Actions for alpha' });
    expect(trigger.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(trigger);
    // `hidden`: without layout (happy-dom) floating-ui counts the trigger as out of view and hides the dropdown;
    // the console tests in Chromium see it shown.
    const menu = await screen.findByRole('menu', { hidden: true });
    expect((await within(menu).findAllByRole('menuitem', { hidden: true })).map((i) => i.textContent)).toEqual(['Open (power actions)', 'Its jobs']);
    expect(screen.getByRole('button', { name: 'Actions for alpha' }).getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(within(menu).getByRole('menuitem', { name: 'Its jobs', hidden: true }));
    await screen.findByText('jobs page');
    expect(address().get('target')).toBe('n1');
  });

  it("shows a time's exact form in a tooltip on hover, made on the first hover", async () => {
    signIn('observer');
    setup();
    renderPage('/nodes');
    const row = (await screen.findByRole('link', { name: 'alpha' })).closest('tr')!;
    const time = row.querySelector('time')!;
    expect(time.getAttribute('dateTime')).toBe('2026-01-01T00:00:00Z');
    expect(screen.queryByRole('tooltip')).toBeNull();
    fireEvent.pointerEnter(time);
    const tooltip = await screen.findByRole('tooltip');
    expect(tooltip.textContent).toBe(time.getAttribute('title'));
    fireEvent.pointerLeave(row.querySelector('time')!);
    await waitFor(() => expect(screen.queryByRole('tooltip')).toBeNull());
  });
});
