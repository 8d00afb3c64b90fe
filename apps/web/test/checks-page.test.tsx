import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChecksPage } from '../src/pages/checks-page.js';
import { renderAt } from './render-at.js';
import { fakeApi, problem, signIn } from './fake-api.js';

const ROLE = { id: '11111111-1111-4111-8111-111111111111', name: 'databases', nodeIds: [] };
type StoredCheck = { id: string; name: string; command: string; args: string[]; shell: boolean; intervalSeconds: number; timeoutSeconds: number; scope: Record<string, string> };

/** A check store that answers like the API: 422 when the timeout exceeds the interval. */
function setup(initial: StoredCheck[] = []) {
  const checks = [...initial];
  const seen = fakeApi((req) => {
    if (req.path === '/api/v1/server-roles') return { status: 200, body: { items: [ROLE], page: 1, limit: 200, total: 1 } };
    if (req.path === '/api/v1/checks' && req.method === 'GET') return { status: 200, body: { items: checks, page: 1, limit: 100, total: checks.length } };
    const body = req.body as StoredCheck;
    if ((req.method === 'POST' || req.method === 'PATCH') && body.timeoutSeconds > body.intervalSeconds) {
      return problem(422, 'timeoutSeconds must be at most intervalSeconds', 'req-422', [{ field: 'body.timeoutSeconds', message: 'must be at most the interval' }]);
    }
    if (req.path === '/api/v1/checks' && req.method === 'POST') {
      const check = { ...body, id: `c${checks.length + 1}` };
      checks.push(check);
      return { status: 201, body: check };
    }
    const id = req.path.split('/').at(-1);
    const at = checks.findIndex((c) => c.id === id);
    if (req.method === 'PATCH' && at >= 0) return { status: 200, body: (checks[at] = { ...checks[at]!, ...body }) };
    if (req.method === 'DELETE' && at >= 0) {
      checks.splice(at, 1);
      return { status: 204 };
    }
    return { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } };
  });
  return { seen, checks };
}

const renderPage = () => renderAt('/checks', <Route path="/checks" element={<ChecksPage />} />);
const DISK: StoredCheck = { id: 'c1', name: 'root disk', command: '/usr/lib/nagios/plugins/check_disk', args: ['-w', '10%', '-p', '/'], shell: false, intervalSeconds: 60, timeoutSeconds: 10, scope: { kind: 'tag', tag: 'web' } };

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the checks page', () => {
  it('creates a check with one argument per line and a role scope; a refused timeout shows at its field', async () => {
    signIn('operator');
    const { seen } = setup();
    renderPage();
    await screen.findByText('No checks yet.');
    const form = screen.getByRole('form', { name: 'New check' });
    fireEvent.change(within(form).getByLabelText('Name *'), { target: { value: 'postgres' } });
    fireEvent.change(within(form).getByLabelText('Command *'), { target: { value: 'check_tcp' } });
    fireEvent.change(within(form).getByLabelText('Arguments'), { target: { value: '-H\nlocalhost\n-p\n5432\n\n-e\nmy reply' } });
    fireEvent.change(within(form).getByLabelText('Interval (s) *'), { target: { value: '30' } });
    fireEvent.change(within(form).getByLabelText('Timeout (s) *'), { target: { value: '45' } });
    fireEvent.change(within(form).getByLabelText('Nodes'), { target: { value: 'role' } });
    await within(form).findByRole('option', { name: 'databases' });
    fireEvent.change(within(form).getByLabelText('Server role *'), { target: { value: ROLE.id } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create check' }));

    await waitFor(() => expect(within(form).getByLabelText('Timeout (s) *').getAttribute('aria-invalid')).toBe('true'));
    expect(within(form).getByText('must be at most the interval')).toBeTruthy();
    expect(within(form).getByRole('alert').textContent).toContain('req-422');

    fireEvent.change(within(form).getByLabelText('Timeout (s) *'), { target: { value: '5' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create check' }));
    await screen.findByText('Created postgres.');
    expect(seen.filter((r) => r.method === 'POST').at(-1)!.body).toEqual({
      name: 'postgres', command: 'check_tcp', args: ['-H', 'localhost', '-p', '5432', '-e', 'my reply'], shell: false,
      intervalSeconds: 30, timeoutSeconds: 5, scope: { kind: 'role', serverRoleId: ROLE.id },
    });
    const row = await screen.findByRole('cell', { name: 'postgres' });
    expect(row.closest('tr')!.textContent).toContain('check_tcp -H localhost -p 5432 -e "my reply"');
    expect(row.closest('tr')!.textContent).toContain('role databases');
    // The form is empty again for the next one.
    expect((within(screen.getByRole('form', { name: 'New check' })).getByLabelText('Name *') as HTMLInputElement).value).toBe('');
  });

  it('edits a check in a form filled with it, and deletes one after confirming', async () => {
    signIn('operator');
    const { seen, checks } = setup([DISK, { ...DISK, id: 'c2', name: 'load', command: 'check_load', args: [] }]);
    renderPage();
    const row = (await screen.findByRole('cell', { name: 'root disk' })).closest('tr')!;
    expect(row.textContent).toContain('nodes tagged web');
    fireEvent.click(within(row).getByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit root disk' });
    expect((within(form).getByLabelText('Arguments') as HTMLTextAreaElement).value).toBe('-w\n10%\n-p\n/');
    expect((within(form).getByLabelText('Tag *') as HTMLInputElement).value).toBe('web');
    fireEvent.change(within(form).getByLabelText('Tag *'), { target: { value: 'db' } });
    fireEvent.change(within(form).getByLabelText('Interval (s) *'), { target: { value: '300' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    await screen.findByText('Saved root disk.');
    const patch = seen.find((r) => r.method === 'PATCH')!;
    expect(patch.path).toBe('/api/v1/checks/c1');
    expect(patch.body).toMatchObject({ intervalSeconds: 300, timeoutSeconds: 10, args: ['-w', '10%', '-p', '/'], scope: { kind: 'tag', tag: 'db' } });
    await waitFor(() => expect(screen.getByRole('cell', { name: 'root disk' }).closest('tr')!.textContent).toContain('nodes tagged db'));
    expect(screen.queryByRole('form', { name: 'Edit root disk' })).toBeNull();

    const load = screen.getByRole('cell', { name: 'load' }).closest('tr')!;
    fireEvent.click(within(load).getByRole('button', { name: 'Delete' }));
    expect(seen.some((r) => r.method === 'DELETE')).toBe(false);
    fireEvent.click(within(load).getByRole('button', { name: 'Yes, delete' }));
    await screen.findByText('Deleted load.');
    expect(seen.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual(['/api/v1/checks/c2']);
    await waitFor(() => expect(screen.queryByRole('cell', { name: 'load' })).toBeNull());
    expect(checks.map((c) => c.id)).toEqual(['c1']);
  });

  it('shows observers the checks without controls', async () => {
    signIn('observer');
    setup([DISK]);
    renderPage();
    await screen.findByRole('cell', { name: 'root disk' });
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(screen.queryByRole('form')).toBeNull();
  });
});
