import { cleanup, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KitchenPage } from '../src/pages/kitchen-page.js';
import { fakeApi, problem, signIn } from './fake-api.js';
import { renderAt } from './render-at.js';

const EMPTY = { uploaded: false, roles: [], recipes: [], environments: [], problems: [] };
const KITCHEN = {
  uploaded: true,
  roles: [{ name: 'web', description: 'Web servers', runList: ['recipe[base]', 'recipe[nginx]'] }, { name: 'db', description: null, runList: ['recipe[base]'] }],
  recipes: [{ name: 'nginx', cookbook: 'nginx', description: 'Installs nginx', dependencies: ['base'] }, { name: 'base', cookbook: 'base', description: null, dependencies: [] }],
  environments: [{ name: 'staging', description: 'Staging' }],
  problems: [],
};

function setup(upload: 'ok' | 'refused') {
  let kitchen: typeof KITCHEN | typeof EMPTY = EMPTY;
  return fakeApi((req) => {
    if (req.method === 'GET' && req.path === '/api/v1/kitchen') return { status: 200, body: kitchen };
    if (req.method === 'PUT' && req.path === '/api/v1/kitchen') {
      if (upload === 'refused') {
        return problem(422, 'Kitchen refused, the previous one stays in place: roles/web.json: line 3: unexpected token', 'req-k', [
          { field: 'roles/web.json', message: 'line 3: unexpected token' },
          { field: 'cookbooks/nginx/metadata.rb', message: 'depends on missing cookbook ssl' },
          { field: 'roles/web.json', message: 'run list item recipe[nope] does not exist' },
        ]);
      }
      kitchen = KITCHEN;
      return { status: 200, body: KITCHEN };
    }
    return { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } };
  });
}

const renderPage = () => renderAt('/configuration/kitchen', <Route path="/configuration/kitchen" element={<KitchenPage />} />);
const drop = (file: File) => fireEvent.change(document.querySelector('input[type="file"]')!, { target: { files: [file] } });
const archive = () => new File([new Uint8Array([0x1f, 0x8b, 8, 0])], 'kitchen.tar.gz', { type: 'application/gzip' });

configure({ asyncUtilTimeout: 10_000 });
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the kitchen page', () => {
  it('uploads the archive dropped (sent as it is) and browses its roles, recipes and environments', async () => {
    signIn('operator');
    const seen = setup('ok');
    renderPage();
    await screen.findByText(/No kitchen yet/);
    drop(archive());
    await screen.findByText('Kitchen uploaded');
    const put = seen.find((r) => r.method === 'PUT')!;
    expect(put.body).toBeInstanceOf(File);
    expect((put.body as File).name).toBe('kitchen.tar.gz');
    const roles = screen.getByRole('table', { name: 'Kitchen roles' });
    expect(within(roles).getAllByRole('row').slice(1).map((r) => r.textContent)).toEqual(['webWeb serversrecipe[base]recipe[nginx]', 'db—recipe[base]']);
    fireEvent.click(screen.getByRole('tab', { name: /Recipes/ }));
    const recipes = await screen.findByRole('table', { name: 'Kitchen recipes' });
    expect(within(recipes).getByText('Installs nginx')).toBeTruthy();
    const recipeNames = () => within(screen.getByRole('table', { name: 'Kitchen recipes' })).getAllByRole('row').slice(1).map((r) => r.firstChild!.textContent);
    expect(recipeNames()).toEqual(['nginx', 'base']);
    fireEvent.change(screen.getByLabelText('Filter'), { target: { value: 'BASE' } });
    await waitFor(() => expect(recipeNames()).toEqual(['base']));
    // Descriptions match too.
    fireEvent.change(screen.getByLabelText('Filter'), { target: { value: 'install' } });
    await waitFor(() => expect(recipeNames()).toEqual(['nginx']));
    fireEvent.click(screen.getByRole('tab', { name: /Environments/ }));
    fireEvent.change(screen.getByLabelText('Filter'), { target: { value: '' } });
    expect(within(await screen.findByRole('table', { name: 'Kitchen environments' })).getByText('staging')).toBeTruthy();
  });

  it("lists a refused archive's problems by file, with the request id", async () => {
    signIn('operator');
    setup('refused');
    renderPage();
    await screen.findByText(/No kitchen yet/);
    drop(archive());
    const problems = await screen.findByLabelText('Kitchen refused, the previous one stays in place');
    expect(within(problems).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'cookbooks/nginx/metadata.rb: depends on missing cookbook ssl',
      'roles/web.json: line 3: unexpected token; run list item recipe[nope] does not exist',
    ]);
    expect(screen.getByText('req-k')).toBeTruthy();
  });

  it('shows observers the kitchen without the upload', async () => {
    signIn('observer');
    setup('ok');
    renderPage();
    await screen.findByText(/An operator uploads it/);
    expect(document.querySelector('input[type="file"]')).toBeNull();
  });
});
