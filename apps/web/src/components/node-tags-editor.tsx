import type { Node } from '@overmind/sdk';
import { useRef, useState, type FormEvent } from 'react';
import { useUpdateNode } from '../api/node-queries.js';
import { ErrorNotice } from './error-notice.js';
import { fieldMessages } from './schema-fields.js';
import { TagList } from './tag-list.js';

/**
 * A node's tags, with add and remove for those who may edit. Each change sends the whole new list
 * (the API replaces it); the list on screen is the server's, so a refused change leaves it as it was.
 */
export function NodeTagsEditor({ node, canEdit }: { node: Pick<Node, 'id' | 'name' | 'tags'>; canEdit: boolean }) {
  const update = useUpdateNode(node.id);
  const [draft, setDraft] = useState('');
  const [saved, setSaved] = useState('');
  const input = useRef<HTMLInputElement>(null);
  if (!canEdit) return <TagList tags={node.tags} />;

  const save = (tags: string[], done: string) => {
    setSaved('');
    update.mutate({ tags }, { onSuccess: () => { setSaved(done); setDraft(''); } });
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    const tag = draft.trim();
    if (tag) save([...node.tags, tag], `Tag ${tag} added.`);
  };
  const remove = (tag: string) => {
    save(node.tags.filter((t) => t !== tag), `Tag ${tag} removed.`);
    input.current?.focus(); // its button is about to go away
  };
  // Messages come per array index (`body.tags.3`) or for the whole list.
  const messages = Object.values(fieldMessages(update.error, 'body.tags')).flat();
  return (
    <div className="tags-editor">
      <ul className="tags" aria-label="Tags">
        {node.tags.map((t) => (
          <li key={t} className="tag">
            {t} <button type="button" className="link" aria-label={`Remove tag ${t}`} disabled={update.isPending} onClick={() => remove(t)}>×</button>
          </li>
        ))}
        {node.tags.length === 0 && <li className="muted">No tags.</li>}
      </ul>
      <form className="inline-form" onSubmit={add}>
        <label htmlFor="node-tag-new">New tag</label>
        <input id="node-tag-new" ref={input} value={draft} maxLength={64} onChange={(e) => setDraft(e.target.value)}
          aria-invalid={messages.length > 0 || undefined} aria-describedby={messages.length ? 'node-tag-new-error' : undefined} />
        <button type="submit" disabled={update.isPending || !draft.trim()}>Add tag</button>
        {messages.length > 0 && <small id="node-tag-new-error" className="field-error">{messages.join('; ')}</small>}
      </form>
      {saved && <p role="status">{saved}</p>}
      <ErrorNotice error={update.error} />
    </div>
  );
}
