import type { Node } from '@overmind/sdk';
import { useState, type FormEvent } from 'react';
import { useUpdateNode } from '../api/node-queries.js';
import { ErrorNotice } from './error-notice.js';
import { FormField } from './form-field.js';
import { fieldMessages } from './schema-fields.js';

/** Renames a node in Overmind (not at its provider): a button that opens a one-field form. */
export function NodeRenameForm({ node }: { node: Pick<Node, 'id' | 'name'> }) {
  const update = useUpdateNode(node.id);
  const [name, setName] = useState<string | null>(null);
  const [saved, setSaved] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name === null || name === node.name) return setName(null);
    update.mutate({ name }, { onSuccess: (n) => { setSaved(`Renamed to ${n.name}.`); setName(null); } });
  };
  if (name === null) {
    return (
      <>
        <button type="button" onClick={() => { setSaved(''); update.reset(); setName(node.name); }}>Rename</button>
        {saved && <span role="status"> {saved}</span>}
      </>
    );
  }
  return (
    <form className="inline-form" onSubmit={submit} aria-label={`Rename ${node.name}`}>
      <FormField id="node-name" label="New name" errors={fieldMessages(update.error, 'body.name')['']} help="Letters, digits, dot, dash, underscore.">
        <input required autoFocus maxLength={63} value={name} onChange={(e) => setName(e.target.value)} />
      </FormField>
      <button type="submit" className="primary" disabled={update.isPending}>Save name</button>
      <button type="button" onClick={() => setName(null)}>Cancel</button>
      <ErrorNotice error={update.error} />
    </form>
  );
}
