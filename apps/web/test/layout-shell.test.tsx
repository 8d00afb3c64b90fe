import { useMutation } from '@tanstack/react-query';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { lazy } from 'react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useServerRole } from '../src/api/server-role-queries.js';
import { Layout } from '../src/components/layout.js';
import { renderAt } from './render-at.js';
import { fakeApi, signIn } from './fake-api.js';

// happy-dom has no EventSource: the live updates of the frame get a silent one.
class SilentEventSource {
  onmessage = null;
  onerror = null;
  addEventListener() {}
  close() {}
}

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const JOB = { id: 'j1', type: 'node.reboot', state: 'queued', progress: 0, attempts: 0, maxAttempts: 3, createdAt: '2026-01-01T00:00:00Z' };

/** A page whose button starts a job the way every page does: a mutation answering with the job. */
function StartsAJob() {
  const start = useMutation({ mutationFn: async () => JOB });
  return <button type="button" onClick={() => start.mutate()}>Reboot it</button>;
}

/** A server role's page, as far as the breadcrumb cares: it loads the role. */
function RolePage() {
  const role = useServerRole('r1');
  return <p>{role.data ? 'the role' : 'loading the role'}</p>;
}

/** A page that fails while drawing, and one whose code cannot be fetched (as after an upgrade). */
function Broken(): never {
  throw new Error('cannot read the jobs');
}
const Unfetchable = lazy(() => Promise.reject(new TypeError('Failed to fetch dynamically imported module: /assets/checks-page-0abc.js')));

function renderShell(path: string) {
  vi.stubGlobal('EventSource', SilentEventSource);
  fakeApi((req) => {
    if (req.path === '/api/v1/nodes/n1') return { status: 200, body: { id: 'n1', name: 'web-1' } };
    if (req.path === '/api/v1/server-roles/r1') return { status: 200, body: { id: 'r1', name: 'web' } };
    return { status: 404, body: { status: 404, detail: 'no fake' } };
  });
  return renderAt(path, (
    <Route element={<Layout />}>
      <Route path="/nodes" element={<p>the nodes</p>} />
      <Route path="/nodes/:id" element={<StartsAJob />} />
      <Route path="/nodes/new" element={<p>the node form</p>} />
      <Route path="/configuration/roles/:id" element={<RolePage />} />
      <Route path="/jobs" element={<Broken />} />
      <Route path="/checks" element={<Unfetchable />} />
    </Route>
  ));
}

describe('the console frame', () => {
  it('shows the sections a role may use, the current page marked, and breadcrumbs to the record', async () => {
    signIn('operator');
    renderShell('/nodes/n1');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).getAllByRole('heading').map((h) => h.textContent)).toEqual(['Overview', 'Nodes', 'Providers', 'Configuration', 'Constellations', 'Jobs', 'Monitoring']);
    expect(within(nav).getByRole('link', { name: 'Nodes' }).getAttribute('aria-current')).toBe('page');
    expect(within(nav).queryByRole('link', { name: 'Users' })).toBeNull();
    const crumbs = screen.getByRole('navigation', { name: 'Breadcrumb' });
    expect(within(crumbs).getByRole('link', { name: 'Nodes' }).getAttribute('href')).toBe('/nodes');
    expect(within(crumbs).getByText('n1').getAttribute('aria-current')).toBe('page');
  });

  it("names a server role in the breadcrumb, not its id", async () => {
    signIn('observer');
    renderShell('/configuration/roles/r1');
    await screen.findByText('the role');
    const crumbs = screen.getByRole('navigation', { name: 'Breadcrumb' });
    await waitFor(() => expect(within(crumbs).getByText('web').getAttribute('aria-current')).toBe('page'));
    expect(within(crumbs).getByRole('link', { name: 'Server roles' }).getAttribute('href')).toBe('/configuration/roles');
    expect(crumbs.textContent).not.toContain('r1');
  });

  it('marks one entry only: Create a node, not Nodes as well, on its page', async () => {
    signIn('operator');
    renderShell('/nodes/new');
    await screen.findByText('the node form');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    const marked = within(nav).getAllByRole('link').filter((a) => a.getAttribute('aria-current') === 'page' || a.hasAttribute('data-active'));
    expect(marked.map((a) => a.textContent)).toEqual(['Create a node']);
  });

  it('offers the admin section to admins only', async () => {
    signIn('admin');
    renderShell('/nodes');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Audit log' }).getAttribute('href')).toBe('/admin/audit');
  });

  it('toasts a job started from any page, with a link to its live log', async () => {
    signIn('operator');
    renderShell('/nodes/n1');
    fireEvent.click(await screen.findByRole('button', { name: 'Reboot it' }));
    await screen.findByText('Job node.reboot queued');
    const link = await screen.findByRole('link', { name: 'Follow its live log' });
    expect(link.getAttribute('href')).toBe('/jobs/j1');
    fireEvent.click(link);
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Reboot it' })).toBeNull());
  });

  it('keeps a failing page inside the frame, says what failed, and clears it on the next page', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    signIn('operator');
    renderShell('/jobs');
    const failed = await screen.findByRole('alert');
    expect(failed.textContent).toContain('This page could not be shown');
    expect(failed.textContent).toContain('cannot read the jobs');
    expect(within(failed).getByRole('button', { name: 'Try again' })).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    fireEvent.click(within(nav).getByRole('link', { name: 'Checks' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Its code could not be loaded'));
    expect(within(screen.getByRole('alert')).getByRole('button', { name: 'Reload' })).toBeTruthy();
    expect(within(screen.getByRole('alert')).queryByRole('button', { name: 'Try again' })).toBeNull();
    fireEvent.click(within(nav).getByRole('link', { name: 'Nodes' }));
    await screen.findByText('the nodes');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('switches light and dark from the header, names the switch in a tooltip on hover, and remembers the pick', async () => {
    signIn('observer');
    renderShell('/nodes');
    const toggle = await screen.findByRole('button', { name: /^Switch to (dark|light) theme$/ });
    const before = document.documentElement.getAttribute('data-mantine-color-scheme');
    const next = before === 'dark' ? 'light' : 'dark';
    expect(toggle.getAttribute('aria-label')).toBe(`Switch to ${next} theme`);
    fireEvent.pointerEnter(toggle);
    expect((await screen.findByRole('tooltip', { hidden: true })).textContent).toBe(`Switch to ${next} theme`);
    fireEvent.click(screen.getByRole('button', { name: `Switch to ${next} theme` }));
    await waitFor(() => expect(document.documentElement.getAttribute('data-mantine-color-scheme')).toBe(next));
    expect(localStorage.getItem('mantine-color-scheme-value')).toBe(next);
    expect(screen.getByRole('button', { name: `Switch to ${before === 'dark' ? 'dark' : 'light'} theme` })).toBeTruthy();
  });
});
