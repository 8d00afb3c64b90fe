import type { Provider, ProviderType } from '@overmind/sdk';
import { useState, type FormEvent } from 'react';
import { useUpdateProvider, type UpdateProviderBody } from '../api/provider-queries.js';
import { ErrorNotice } from '../components/error-notice.js';
import { FormField } from '../components/form-field.js';
import { ProviderFields, schemaValues, type ProviderValues } from '../components/provider-fields.js';
import { fieldMessages, fieldValuesFrom, valuesFor, type JsonSchema } from '../components/schema-fields.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Only what changed is sent: settings or credentials make the API check them with the provider
 * again, and empty credential inputs mean "keep the stored ones".
 */
function changes(provider: Provider, type: ProviderType, values: ProviderValues, interval: string): UpdateProviderBody {
  const { credentials, settings } = schemaValues(type, values);
  const settingsSchema = type.settingsSchema as JsonSchema;
  const stored = valuesFor(settingsSchema, fieldValuesFrom(settingsSchema, provider.settings));
  const body: UpdateProviderBody = {};
  if (values.name !== provider.name) body.name = values.name;
  if (Number(interval) !== provider.syncIntervalSeconds) body.syncIntervalSeconds = Number(interval);
  if (Object.keys(credentials).length > 0) body.credentials = credentials;
  if (!same(settings, stored)) body.settings = settings;
  return body;
}

/** Edits a provider with the add form's schema-generated inputs; stored secrets are never shown. */
export function ProviderEditForm({ provider, type, onSaved, onCancel }: { provider: Provider; type: ProviderType; onSaved: (message: string) => void; onCancel: () => void }) {
  const [values, setValues] = useState<ProviderValues>(() => ({
    name: provider.name,
    credentials: {},
    settings: fieldValuesFrom(type.settingsSchema as JsonSchema, provider.settings),
  }));
  const [interval, setSyncInterval] = useState(String(provider.syncIntervalSeconds));
  const [parseError, setParseError] = useState<Error | null>(null);
  const [unchanged, setUnchanged] = useState(false);
  const update = useUpdateProvider(provider.id);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setParseError(null);
    let body: UpdateProviderBody;
    try {
      body = changes(provider, type, values, interval);
    } catch (err) {
      return setParseError(err as Error);
    }
    setUnchanged(Object.keys(body).length === 0);
    if (Object.keys(body).length === 0) return;
    update.mutate(body, { onSuccess: (saved) => onSaved(`Saved ${saved.name}${body.credentials ? ': new credentials checked and stored' : ''}.`) });
  };

  return (
    <form id="edit-provider" className="card form" onSubmit={submit} aria-labelledby="edit-provider-title">
      <h2 id="edit-provider-title">Edit {provider.name}</h2>
      <ProviderFields type={type} values={values} onChange={setValues} error={update.error} keepCredentials>
        <FormField id="provider-sync-interval" label="Sync interval (seconds) *" help="Between 60 and 86400." errors={fieldMessages(update.error, 'body.syncIntervalSeconds')['']}>
          <input type="number" required min={60} max={86400} step={1} value={interval} onChange={(e) => setSyncInterval(e.target.value)} />
        </FormField>
      </ProviderFields>
      <ErrorNotice error={parseError ?? update.error} />
      {unchanged && <p role="status">Nothing to save: no field was changed.</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={update.isPending}>{update.isPending ? 'Saving…' : 'Save changes'}</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
