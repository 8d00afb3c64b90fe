import { useState, type FormEvent } from 'react';
import { useCreateToken, useRevokeToken, useTokens } from '../../api/admin-queries.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { FormField } from '../../components/form-field.js';
import { fieldMessages } from '../../components/schema-fields.js';
import { TableScroll } from '../../components/table-scroll.js';

const when = (at: string | null) => (at ? new Date(at).toLocaleString() : '—');

export function TokensPage() {
  const tokens = useTokens();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [name, setName] = useState('');
  const [days, setDays] = useState('');
  const [password, setPassword] = useState('');
  const errors = fieldMessages(create.error, 'body');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { name, password, ...(days ? { expiresInDays: Number(days) } : {}) },
      // The password is not kept a moment longer than the request needs it.
      { onSettled: () => setPassword(''), onSuccess: () => { setName(''); setDays(''); } },
    );
  };
  return (
    <section>
      <h1>API tokens</h1>
      <ErrorNotice error={tokens.error ?? revoke.error} />
      {revoke.isSuccess && <p role="status">Token {revoke.data.name} revoked.</p>}
      <TableScroll>
        <table aria-label="API tokens">
          <thead><tr><th scope="col">Name</th><th scope="col">Prefix</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col">Status</th></tr></thead>
          <tbody>
            {tokens.data?.items.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td><td><code>{t.prefix}</code></td><td>{when(t.createdAt)}</td><td>{when(t.expiresAt)}</td><td>{when(t.lastUsedAt)}</td>
                <td>{t.revokedAt ? `revoked ${when(t.revokedAt)}` : (
                  <ConfirmButton label="Revoke" danger disabled={revoke.isPending} question={<>Revoke <strong>{t.name}</strong>? Scripts using it stop working.</>} onConfirm={() => revoke.mutate(t.id)} />
                )}</td>
              </tr>
            ))}
            {tokens.data?.items.length === 0 && <tr><td colSpan={6}>No tokens.</td></tr>}
          </tbody>
        </table>
      </TableScroll>
      <form className="card form" onSubmit={submit} aria-label="Create a token">
        <h2>Create a token</h2>
        <FormField id="token-name" label="Name *" errors={errors.name}>
          <input required maxLength={100} autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />
        </FormField>
        <FormField id="token-days" label="Expires in days" errors={errors.expiresInDays} help="Empty: the server's default (90 days unless configured otherwise)">
          <input type="number" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} />
        </FormField>
        <FormField id="token-password" label="Your password *" errors={errors.password} help="Asked again because a token outlives this session">
          <input type="password" required autoComplete="current-password" maxLength={256} value={password} onChange={(e) => setPassword(e.target.value)} />
        </FormField>
        <ErrorNotice error={create.error} />
        <button type="submit" className="primary" disabled={create.isPending}>Create token</button>
      </form>
      {create.data && (
        // Held only in this mutation's state: leaving the page forgets it, as the API will never show it again.
        <div role="status" className="card" aria-label="New token secret">
          <p>Token <strong>{create.data.token.name}</strong> created. Copy its secret now; it is not shown again:</p>
          <code className="secret">{create.data.secret}</code>{' '}
          <button type="button" onClick={() => create.reset()}>Done</button>
        </div>
      )}
    </section>
  );
}
