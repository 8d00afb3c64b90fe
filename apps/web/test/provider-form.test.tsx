import { OvermindApiError, type Provider, type ProviderType } from '@overmind/sdk';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { overmind } from '../src/api/overmind-client.js';
import { ProviderForm } from '../src/pages/provider-form.js';

const dummyType: ProviderType = {
  kind: 'dummy',
  displayName: 'Dummy',
  description: 'In-memory provider',
  capabilities: ['createNode'],
  credentialSchema: {
    type: 'object',
    required: ['apiKey'],
    properties: { apiKey: { type: 'string', writeOnly: true, title: 'API key' }, region: { type: 'string', title: 'Region' } },
  },
  settingsSchema: { type: 'object', properties: { latencyMs: { type: 'integer', title: 'Latency (ms)', default: 0 } } },
  endpointSettings: [],
};

function renderForm() {
  const client = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  return render(<QueryClientProvider client={client}><ProviderForm types={[dummyType]} /></QueryClientProvider>);
}

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the provider form generated from the credential JSON Schema', () => {
  it('renders secret fields as password inputs and others as text or number inputs', () => {
    renderForm();
    expect(screen.getByLabelText('API key *')).toHaveProperty('type', 'password');
    expect(screen.getByLabelText('Region')).toHaveProperty('type', 'text');
    expect(screen.getByLabelText('Latency (ms)')).toHaveProperty('type', 'number');
  });

  it('sends typed values and shows the problem+json field errors at their fields', async () => {
    const create = vi.spyOn(overmind, 'createProvider').mockRejectedValue(
      new OvermindApiError({
        status: 422,
        title: 'Unprocessable Content',
        detail: 'Dummy rejected the credentials: keys beginning with "bad" are refused',
        requestId: 'req-42',
        errors: [
          { field: 'body.credentials', message: 'keys beginning with "bad" are refused' },
          { field: 'body.credentials.region', message: 'is not a known region' },
        ],
      }),
    );
    renderForm();
    fireEvent.change(screen.getByLabelText('Name *'), { target: { value: 'lab' } });
    fireEvent.change(screen.getByLabelText('API key *'), { target: { value: 'bad-key' } });
    fireEvent.change(screen.getByLabelText('Region'), { target: { value: 'mars' } });
    fireEvent.change(screen.getByLabelText('Latency (ms)'), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add provider' }));

    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('req-42'));
    expect(create).toHaveBeenCalledWith({ name: 'lab', type: 'dummy', credentials: { apiKey: 'bad-key', region: 'mars' }, settings: { latencyMs: 5 } });
    const region = screen.getByLabelText('Region');
    expect(region.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(region.getAttribute('aria-describedby')!)?.textContent).toBe('is not a known region');
    expect(document.getElementById('credentials-error')?.textContent).toBe('keys beginning with "bad" are refused');
    expect(screen.getByRole('alert').textContent).toContain('keys beginning with "bad" are refused');
  });

  it('clears the form after the provider was created', async () => {
    vi.spyOn(overmind, 'createProvider').mockResolvedValue({ id: 'p1' } as Provider);
    renderForm();
    fireEvent.change(screen.getByLabelText('Name *'), { target: { value: 'lab' } });
    fireEvent.change(screen.getByLabelText('API key *'), { target: { value: 'good' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add provider' }));
    await waitFor(() => expect(screen.getByLabelText('API key *')).toHaveProperty('value', ''));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
