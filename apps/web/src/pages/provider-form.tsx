import type { ProviderType } from '@overmind/sdk';
import { useState, type FormEvent } from 'react';
import { useCreateProvider } from '../api/provider-queries.js';
import { ErrorNotice } from '../components/error-notice.js';
import { EMPTY_PROVIDER_VALUES, ProviderFields, schemaValues } from '../components/provider-fields.js';

/** Adds a provider; credential and settings inputs are generated from the chosen type's JSON Schemas. */
export function ProviderForm({ types, onCreated }: { types: ProviderType[]; onCreated?: (id: string) => void }) {
  const [kind, setKind] = useState(types[0]?.kind ?? '');
  const [values, setValues] = useState(EMPTY_PROVIDER_VALUES);
  const [parseError, setParseError] = useState<Error | null>(null);
  const create = useCreateProvider();
  const type = types.find((t) => t.kind === kind);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!type) return;
    setParseError(null);
    try {
      const body = { name: values.name, type: kind, ...schemaValues(type, values) };
      create.mutate(body, {
        onSuccess: (provider) => {
          setValues(EMPTY_PROVIDER_VALUES);
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
        <select id="provider-type" value={kind} onChange={(e) => { setKind(e.target.value); setValues({ ...values, credentials: {}, settings: {} }); create.reset(); }}>
          {types.map((t) => <option key={t.kind} value={t.kind}>{t.displayName}</option>)}
        </select>
        {type && <small>{type.description}</small>}
      </div>
      {type && <ProviderFields type={type} values={values} onChange={setValues} error={create.error} />}
      <ErrorNotice error={parseError ?? create.error} />
      <button type="submit" className="primary" disabled={create.isPending || !type}>{create.isPending ? 'Checking credentials…' : 'Add provider'}</button>
    </form>
  );
}
