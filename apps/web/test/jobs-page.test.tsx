import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, useLocation } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobsPage } from '../src/pages/jobs-page.js';
import { renderAt } from './render-at.js';
import { fakeApi, signIn } from './fake-api.js';

const NODE = '3f2a1c4e-0b5d-4e6f-8a7b-9c0d1e2f3a4b';

function Search() {
  return <output aria-label="Address">{useLocation().search}</output>;
}

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the jobs list', () => {
  it('filters by state, type and target, kept in the address', async () => {
    signIn('observer');
    const seen = fakeApi(() => ({ status: 200, body: { items: [], page: 1, limit: 50, total: 0 } }));
    renderAt(`/jobs?state=queued&target=${NODE}`, <Route path="/jobs" element={<><JobsPage /><Search /></>} />);
    await screen.findByText('No jobs.');
    expect(seen.at(-1)!.query).toMatchObject({ state: 'queued', target: NODE });
    expect((screen.getByLabelText('Target id') as HTMLInputElement).value).toBe(NODE);

    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'node.reboot' } });
    await waitFor(() => expect(seen.at(-1)!.query).toMatchObject({ state: 'queued', type: 'node.reboot', target: NODE }));
    expect(screen.getByLabelText('Address').textContent).toBe(`?state=queued&target=${NODE}&type=node.reboot`);
  });

  it('does not send a target that is not an id, and says what it should be', async () => {
    signIn('observer');
    const seen = fakeApi(() => ({ status: 200, body: { items: [], page: 1, limit: 50, total: 0 } }));
    renderAt('/jobs', <Route path="/jobs" element={<JobsPage />} />);
    await screen.findByText('No jobs.');
    fireEvent.change(screen.getByLabelText('Target id'), { target: { value: 'web-1' } });
    const input = screen.getByLabelText('Target id');
    await waitFor(() => expect(input.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText(/A target id is a UUID/).id).toBe(input.getAttribute('aria-describedby'));
    expect(seen.every((r) => !('target' in r.query))).toBe(true);
  });
});
