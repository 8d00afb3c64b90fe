import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequireRole } from '../src/components/require-role.js';
import { AuditPage } from '../src/pages/admin/audit-page.js';
import { TokensPage } from '../src/pages/admin/tokens-page.js';
import { UsersPage } from '../src/pages/admin/users-page.js';
import { renderAt } from './render-at.js';
import { fakeApi, problem, signIn, type FakeRequest } from './fake-api.js';

type UserRow = { id: string; username: string; role: string; createdAt: string; updatedAt: string };

function adminApi() {
  const users: UserRow[] = [{ id: 'u1', username: 'admin', role: 'admin', createdAt: '', updatedAt: '' }, { id: 'u2', username: 'bob', role: 'observer', createdAt: '', updatedAt: '' }];
  const tokens = [{ id: 't1', userId: 'u1', name: 'ci', prefix: 'om_ab', createdAt: '2026-01-01T00:00:00Z', expiresAt: null, lastUsedAt: null, revokedAt: null as string | null }];
  const audit = Array.from({ length: 120 }, (_, i) => ({ id: `a${i}`, action: i === 0 ? 'user.delete' : 'auth.login', actorName: 'admin', actorId: 'u1', at: '2026-01-01T00:00:00Z', targetId: null, targetType: null, outcome: 'success', ip: '127.0.0.1', requestId: `r${i}`, details: {} }));
  const seen = fakeApi((req: FakeRequest) => {
    const user = users.find((u) => req.path === `/api/v1/users/${u.id}`);
    const body = req.body as Record<string, string>;
    if (req.method === 'GET' && req.path === '/api/v1/users') return { status: 200, body: { items: users, page: 1, limit: 200, total: users.length } };
    if (req.method === 'POST' && req.path === '/api/v1/users') {
      const created = { id: `u${users.length + 1}`, username: body.username!, role: body.role!, createdAt: '', updatedAt: '' };
      users.push(created);
      return { status: 201, body: created };
    }
    if (req.method === 'PATCH' && user) return { status: 200, body: Object.assign(user, body.role ? { role: body.role } : {}) };
    if (req.method === 'DELETE' && user) { users.splice(users.indexOf(user), 1); return { status: 204 }; }
    if (req.method === 'GET' && req.path === '/api/v1/tokens') return { status: 200, body: { items: tokens, page: 1, limit: 200, total: tokens.length } };
    if (req.method === 'POST' && req.path === '/api/v1/tokens') {
      if (body.password !== 'my-password') return problem(403, 'Password is wrong', 'req-wrong-password');
      const token = { ...tokens[0]!, id: 't2', name: body.name!, prefix: 'om_cd' };
      tokens.push(token);
      return { status: 201, body: { token, secret: 'om_cdSECRETSECRET' } };
    }
    if (req.method === 'DELETE' && req.path === '/api/v1/tokens/t1') return { status: 200, body: Object.assign(tokens[0]!, { revokedAt: '2026-02-01T00:00:00Z' }) };
    if (req.path === '/api/v1/audit-events') {
      const page = Number(req.query.page), limit = Number(req.query.limit);
      return { status: 200, body: { items: audit.slice((page - 1) * limit, page * limit), page, limit, total: audit.length } };
    }
    return { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } };
  });
  return { seen, users };
}

const renderAdmin = (path: string, page: ReactNode) =>
  renderAt(path, <><Route path="/" element={<h1>Dashboard</h1>} /><Route element={<RequireRole role="admin" />}><Route path={path} element={page} /></Route></>);

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the admin pages', () => {
  it('creates a user with a role, changes a role, resets a password and deletes after confirmation', async () => {
    signIn('admin');
    const { seen, users } = adminApi();
    renderAdmin('/admin/users', <UsersPage />);
    fireEvent.change(await screen.findByLabelText('Role of bob'), { target: { value: 'operator' } });
    await waitFor(() => expect(users.find((u) => u.username === 'bob')?.role).toBe('operator'));
    fireEvent.change(screen.getByLabelText('New password for bob'), { target: { value: 'new-secret-1' } });
    fireEvent.click(within(screen.getByRole('form', { name: 'Reset password of bob' })).getByRole('button', { name: 'Reset password' }));
    await waitFor(() => expect(seen.some((r) => r.method === 'PATCH' && (r.body as { password?: string }).password === 'new-secret-1')).toBe(true));

    fireEvent.change(screen.getByLabelText('Username *'), { target: { value: 'carol' } });
    fireEvent.change(screen.getByLabelText('Password *'), { target: { value: 'long-enough' } });
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'operator' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add user' }));
    expect((await screen.findByText('User carol added.')).getAttribute('role')).toBe('status');
    expect(seen.find((r) => r.method === 'POST')?.body).toEqual({ username: 'carol', password: 'long-enough', role: 'operator' });

    const bobRow = (await screen.findByText('bob')).closest('tr')!;
    fireEvent.click(within(bobRow).getByRole('button', { name: 'Delete' }));
    expect(within(bobRow).getByRole('group').textContent).toContain('Delete user bob?');
    fireEvent.click(within(bobRow).getByRole('button', { name: 'Yes, delete' }));
    await waitFor(() => expect(screen.queryByText('bob')).toBeNull());
    expect(within(screen.getByText('admin (you)').closest('tr')!).getByRole('button', { name: 'Delete' })).toHaveProperty('disabled', true);
  });

  it('asks for the password to create a token, shows its secret once, and revokes a token', async () => {
    signIn('admin');
    const { seen } = adminApi();
    renderAdmin('/admin/tokens', <TokensPage />);
    fireEvent.change(await screen.findByLabelText('Name *'), { target: { value: 'deploy' } });
    const password = screen.getByLabelText('Your password *') as HTMLInputElement;
    expect(password.type).toBe('password');
    expect(password.required).toBe(true);
    fireEvent.change(password, { target: { value: 'not-my-password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create token' }));
    expect(await screen.findByText(/Password is wrong/)).toBeTruthy();
    // The password is not kept once the request is answered.
    expect(password.value).toBe('');
    fireEvent.change(password, { target: { value: 'my-password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create token' }));
    const secret = await screen.findByRole('status', { name: 'New token secret' });
    expect(secret.textContent).toContain('om_cdSECRETSECRET');
    expect(seen.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([
      { name: 'deploy', password: 'not-my-password' },
      { name: 'deploy', password: 'my-password' },
    ]);
    expect(password.value).toBe('');
    fireEvent.click(within(secret).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByText(/om_cdSECRETSECRET/)).toBeNull());
    const ciRow = screen.getByText('ci').closest('tr')!;
    fireEvent.click(within(ciRow).getByRole('button', { name: 'Revoke' }));
    fireEvent.click(within(ciRow).getByRole('button', { name: 'Yes, revoke' }));
    expect(await screen.findByText('Token ci revoked.')).toBeTruthy();
    await waitFor(() => expect(ciRow.textContent).toContain('revoked'));
  });

  it('pages through the audit log', async () => {
    signIn('admin');
    adminApi();
    renderAdmin('/admin/audit', <AuditPage />);
    expect(await screen.findByText('user.delete')).toBeTruthy();
    expect(screen.getByText('Page 1 of 3 (120 total)')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByText('Page 2 of 3 (120 total)');
    expect(screen.getByText('r50')).toBeTruthy();
  });

  it('sends non-admins back to the dashboard', async () => {
    signIn('operator');
    adminApi();
    renderAdmin('/admin/users', <UsersPage />);
    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeTruthy();
  });
});
