import { act, cleanup, render, screen } from '@testing-library/react';
import { Suspense, useState } from 'react';
import { flushSync } from 'react-dom';
import { MemoryRouter, useLocation, useNavigate } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { useUrlFilters } from '../src/components/use-url-filters.js';

afterEach(cleanup);

/** A promise the test settles: while pending, the probe suspends on a URL without `tag`. */
function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  const state = { pending: true, promise, open: () => ((state.pending = false), open()) };
  return state;
}

let update: (patch: Record<string, string>) => void;
let bump: () => void;

function Probe({ wait }: { wait: ReturnType<typeof gate> }) {
  const [params, set] = useUrlFilters();
  const [n, setN] = useState(0);
  update = set;
  bump = () => setN((x) => x + 1);
  // The navigation's transition renders the new URL and suspends there, so the screen keeps the old one.
  if (!params.has('tag') && wait.pending) throw wait.promise;
  return <p data-testid="url">{params.toString()} {n}</p>;
}

function Location() {
  return <p data-testid="location">{useLocation().search}</p>;
}

describe('useUrlFilters', () => {
  it('keeps a cleared filter when another is typed while the first navigation is still pending', async () => {
    const wait = gate();
    render(
      <MemoryRouter initialEntries={['/nodes?tag=blue']}>
        <Suspense fallback={<p>Loading…</p>}><Probe wait={wait} /></Suspense>
        <Location />
      </MemoryRouter>,
    );
    expect(screen.getByTestId('url').textContent).toBe('tag=blue 0');
    await act(async () => update({ tag: '' }));
    // Still the old URL on screen (the transition suspended). An urgent render of it (here forced at once, as a
    // busy browser may run one before the transition's retry) must not count as a change of URL, so the next
    // field typed keeps the cleared filter cleared.
    await act(async () => {
      flushSync(() => bump());
      expect(screen.getByTestId('url').textContent).toBe('tag=blue 1');
      update({ search: 'gone-' });
    });
    await act(async () => wait.open());
    expect(screen.getByTestId('location').textContent).toBe('?search=gone-');
  });

  it('starts from the URL when it changes by other means (a link, Back)', async () => {
    const wait = gate();
    wait.open();
    let go!: (to: string) => void;
    function Go() {
      const navigate = useNavigate();
      go = (to) => void navigate(to);
      return null;
    }
    render(
      <MemoryRouter initialEntries={['/nodes?tag=blue']}>
        <Probe wait={wait} />
        <Location />
        <Go />
      </MemoryRouter>,
    );
    await act(async () => update({ search: 'a', page: '3' }));
    expect(screen.getByTestId('location').textContent).toBe('?tag=blue&search=a&page=3');
    await act(async () => go('/nodes?state=running'));
    await act(async () => update({ tag: 'x' }));
    // From the link's URL, back to page 1: nothing of the filters set before the link.
    expect(screen.getByTestId('location').textContent).toBe('?state=running&tag=x');
  });
});
