import type { ProviderType } from '@overmind/sdk';
import { useState, type FormEvent } from 'react';
import { useCreateProvider } from '../api/provider-queries.js';
import { ErrorNotice } from '../components/error-notice.js';
import { fieldMessages, SchemaFields, valuesFor, type FieldValues, type JsonSchema } from '../components/schema-fields.js';

/** Adds a provider; credential and settings inputs are generated from the chosen type's JSON Schemas. */
export function ProviderForm({ types, onCreated }: { types: ProviderType[]; onCreated?: (id: string) => void }) {
  const [kind, setKind] = useState(types[0]?.kind ?? '');
  const [name, setName] = useState('');
  const [credentials, setCredentials] = useState<FieldValues>({});
  const [settings, setSettings] = useState<FieldValues>({});
  const [parseError, setParseError] = useState<Error | null>(null);
  const create = useCreateProvider();
  const type = types.find((t) => t.kind === kind);
  const credentialErrors = fieldMessages(create.error, 'body.credentials');
  const settingErrors = fieldMessages(create.error, 'body.settings');
  const nameErrors = fieldMessages(create.error, 'body.name')[''] ?? [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!type) return;
    setParseError(null);
    try {
      const body = {
        name,
        type: kind,
        credentials: valuesFor(type.credentialSchema as JsonSchema, credentials),
        settings: valuesFor(type.settingsSchema as JsonSchema, settings),
      };
      create.mutate(body, {
        onSuccess: (provider) => {
          setName('');
          setCredentials({});
          setSettings({});
          onCreated?.(provider.id);
        },
      });
    } catch (err) {
      setParseError(err as Error);
    }
  };

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="add-provider-title">
      <h2 id="add-provider-title">Add a provider</h2>
      <div className="field">
        <label htmlFor="provider-type">Type</label>
        <select id="provider-type" value={kind} onChange={(e) => { setKind(e.target.value); setCredentials({}); setSettings({}); create.reset(); }}>
          {types.map((t) => <option key={t.kind} value={t.kind}>{t.displayName}</option>)}
        </select>
        {type && <small>{type.description}</small>}
      </div>
      <div className="field">
        <label htmlFor="provider-name">Name *</label>
        <input id="provider-name" required value={name} aria-invalid={nameErrors.length > 0 || undefined} aria-describedby={nameErrors.length ? 'provider-name-error' : undefined} onChange={(e) => setName(e.target.value)} />
        {nameErrors.length > 0 && <small id="provider-name-error" className="field-error">{nameErrors.join('; ')}</small>}
      </div>
      {type && (
        <>
          <fieldset aria-describedby={credentialErrors['']?.length ? 'credentials-error' : undefined}>
            <legend>Credentials</legend>
            <SchemaFields schema={type.credentialSchema as JsonSchema} idPrefix="credentials" values={credentials} errors={credentialErrors} onChange={setCredentials} />
            {credentialErrors['']?.length ? <p id="credentials-error" className="field-error">{credentialErrors[''].join('; ')}</p> : null}
          </fieldset>
          <details>
            <summary>Settings</summary>
            <SchemaFields schema={type.settingsSchema as JsonSchema} idPrefix="settings" values={settings} errors={settingErrors} onChange={setSettings} />
          </details>
        </>
      )}
      <ErrorNotice error={parseError ?? create.error} />
      <button type="submit" className="primary" disabled={create.isPending || !type}>{create.isPending ? 'Checking credentials…' : 'Add provider'}</button>
    </form>
  );
}
