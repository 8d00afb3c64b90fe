import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyEvent } from '../src/api/live-updates.js';
import { AlertRulesPage } from '../src/pages/alert-rules-page.js';
import { AlertsPage } from '../src/pages/alerts-page.js';
import { fakeApi, problem, signIn, type FakeRequest } from './fake-api.js';
import { renderAt } from './render-at.js';

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const alert = (id: string, nodeName: string, state: 'firing' | 'resolved', extra: Record<string, unknown> = {}) => ({
  id, ruleId: 'r1', ruleName: 'web down', nodeId: `n-${id}`, nodeName, state, summary: 'http CRITICAL: connection refused', value: null,
  firedAt: ago(10), resolvedAt: state === 'resolved' ? ago(2) : null, acknowledgedBy: null, acknowledgedAt: null, ...extra,
});

function setup() {
  const alerts = [alert('a1', 'web-1', 'firing'), alert('a2', 'web-2', 'resolved')];
  const rules: Record<string, unknown>[] = [];
  const seen = fakeApi((req: FakeRequest) => {
    if (req.method === 'GET' && req.path === '/api/v1/alerts') {
      const items = alerts.filter((a) => !req.query.state || a.state === req.query.state);
      return { status: 200, body: { items, page: 1, limit: 50, total: items.length } };
    }
    const ack = /^\/api\/v1\/alerts\/(\w+)\/acknowledge$/.exec(req.path);
    if (req.method === 'POST' && ack) return { status: 200, body: Object.assign(alerts.find((a) => a.id === ack[1])!, { acknowledgedBy: 'u1', acknowledgedAt: new Date().toISOString() }) };
    if (req.method === 'GET' && req.path === '/api/v1/alert-rules') return { status: 200, body: { items: rules, page: 1, limit: 50, total: rules.length } };
    if (req.method === 'POST' && req.path === '/api/v1/alert-rules') {
      const body = req.body as { webhook: { secret: string } | null };
      if (body.webhook && body.webhook.secret.length < 16) return problem(400, 'body/webhook/secret must NOT have fewer than 16 characters', 'req-rule', [{ field: 'body.webhook.secret', message: 'must NOT have fewer than 16 characters' }]);
      const { webhook, ...rest } = req.body as Record<string, unknown> & { webhook: { url: string } | null };
      const created = { id: 'r9', enabled: true, ...rest, webhook: webhook ? { url: webhook.url, secretSet: true } : null, createdBy: 'u1', createdAt: ago(0), updatedAt: ago(0) };
      rules.push(created);
      return { status: 201, body: created };
    }
    return { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } };
  });
  return { seen, alerts };
}

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the alerts page', () => {
  it('lists firing alerts, acknowledges one, and shows a newly fired alert from the event stream', async () => {
    signIn('operator');
    const { seen, alerts } = setup();
    const { client } = renderAt('/alerts', <Route path="/alerts" element={<AlertsPage />} />);
    const table = await screen.findByRole('table', { name: 'Alerts' });
    const row = within(table).getByText('web-1').closest('tr')!;
    expect(row.textContent).toContain('firing');
    expect(row.textContent).toContain('web down');
    expect(row.textContent).toContain('http CRITICAL: connection refused');
    expect(within(table).queryByText('web-2')).toBeNull();

    fireEvent.click(within(row).getByRole('button', { name: 'Acknowledge' }));
    await screen.findByText('Acknowledged web down on web-1.');
    expect(seen.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/api/v1/alerts/a1/acknowledge']);
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Alerts' })).getByText('web-1').closest('tr')!.textContent).toContain('yes'));

    // Another console's rule fired: the event refetches the list.
    alerts.push(alert('a3', 'db-1', 'firing'));
    applyEvent(client, { type: 'alert', id: 'a3', ruleId: 'r1', ruleName: 'web down', nodeId: 'n-a3', state: 'firing', summary: 'x', firedAt: ago(0), resolvedAt: null, acknowledgedAt: null });
    expect(await within(screen.getByRole('table', { name: 'Alerts' })).findByText('db-1', {}, { timeout: 3000 })).toBeTruthy();
  });

  it('shows no acknowledge button to observers', async () => {
    signIn('observer');
    setup();
    renderAt('/alerts', <Route path="/alerts" element={<AlertsPage />} />);
    const table = await screen.findByRole('table', { name: 'Alerts' });
    expect(within(table).getByText('web-1')).toBeTruthy();
    expect(within(table).queryByRole('button', { name: 'Acknowledge' })).toBeNull();
  });
});

describe('the alert rules page', () => {
  it('creates a reading rule with a signed webhook, showing the API\'s message for a short secret first', async () => {
    signIn('operator');
    const { seen } = setup();
    renderAt('/alerts/rules', <Route path="/alerts/rules" element={<AlertRulesPage />} />);
    fireEvent.click(await screen.findByRole('button', { name: 'New rule' }));
    const form = screen.getByRole('form', { name: 'Create an alert rule' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'cpu hot' } });
    fireEvent.change(within(form).getByLabelText('Fires on'), { target: { value: 'reading' } });
    fireEvent.change(within(form).getByLabelText('Threshold'), { target: { value: '95' } });
    fireEvent.change(within(form).getByLabelText('For (seconds)'), { target: { value: '300' } });
    fireEvent.change(within(form).getByLabelText('Nodes'), { target: { value: 'tag' } });
    fireEvent.change(within(form).getByLabelText('Tag'), { target: { value: 'batch' } });
    fireEvent.change(within(form).getByLabelText('Webhook URL'), { target: { value: 'https://hooks.example.org/overmind' } });
    fireEvent.change(within(form).getByLabelText('Webhook secret'), { target: { value: 'short' } });
    fireEvent.submit(form);
    expect((await within(form).findByRole('alert')).textContent).toContain('fewer than 16 characters');

    fireEvent.change(within(form).getByLabelText('Webhook secret'), { target: { value: 'a-long-enough-shared-secret' } });
    fireEvent.submit(form);
    await screen.findByText('Created rule cpu hot.');
    expect(seen.filter((r) => r.method === 'POST').at(-1)!.body).toEqual({
      name: 'cpu hot', condition: { kind: 'reading', metric: 'cpu.total', op: 'above', threshold: 95 }, durationSeconds: 300,
      scope: { kind: 'tag', tag: 'batch' }, emails: [], webhook: { url: 'https://hooks.example.org/overmind', secret: 'a-long-enough-shared-secret' },
    });
    const row = (await screen.findByText('cpu hot')).closest('tr')!;
    expect(row.textContent).toContain('cpu.total above 95 for 300 s');
    expect(row.textContent).toContain('tag batch');
    expect(row.textContent).not.toContain('a-long-enough-shared-secret');
  });
});
