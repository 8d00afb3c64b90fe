import type { AgentTokenState } from '@overmind/sdk';
import { useState } from 'react';
import { Link } from 'react-router';
import { useAgentTokens, useRevokeAgentToken } from '../api/agent-queries.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { ErrorNotice } from '../components/error-notice.js';
import { JoinTokenForm } from '../components/join-token-form.js';
import { NodeLink } from '../components/node-link.js';
import { Pager } from '../components/pager.js';
import { RelativeTime } from '../components/relative-time.js';
import { TableScroll } from '../components/table-scroll.js';

const STATES: AgentTokenState[] = ['valid', 'used', 'expired', 'revoked'];
const LIMIT = 20;

/** Join tokens (operators): create one, see which were used by which agent, revoke one not used yet. */
export function AgentTokensSection() {
  const [state, setState] = useState<AgentTokenState | ''>('');
  const [page, setPage] = useState(1);
  const tokens = useAgentTokens({ page, limit: LIMIT, ...(state ? { state } : {}) });
  const revoke = useRevokeAgentToken();
  return (
    <section aria-labelledby="join-tokens-title">
      <h2 id="join-tokens-title">Join tokens</h2>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>State{' '}
          <select value={state} onChange={(e) => { setState(e.target.value as AgentTokenState | ''); setPage(1); }}>
            <option value="">any</option>
            {STATES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
      </form>
      <ErrorNotice error={tokens.error ?? revoke.error} />
      {revoke.isSuccess && <p role="status">Join token {revoke.data.prefix}… revoked.</p>}
      <TableScroll>
        <table aria-label="Join tokens" aria-busy={tokens.isFetching}>
          <thead>
            <tr><th scope="col">Token</th><th scope="col">Description</th><th scope="col">Node</th><th scope="col">State</th><th scope="col">Expires</th><th scope="col">Created</th><th scope="col">Used by</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
          </thead>
          <tbody>
            {tokens.data?.items.map((t) => (
              <tr key={t.id} data-token-prefix={t.prefix}>
                <td><code>{t.prefix}…</code></td>
                <td>{t.description ?? <span className="muted">—</span>}</td>
                <td>{t.nodeId ? <NodeLink id={t.nodeId} /> : <span className="muted">any (approval)</span>}</td>
                <td><span className={`badge badge-token-${t.state}`} data-state={t.state}>{t.state}</span></td>
                <td>{t.state === 'valid' || t.state === 'expired' ? <RelativeTime at={t.expiresAt} /> : <span className="muted">—</span>}</td>
                <td><RelativeTime at={t.createdAt} /></td>
                <td>{t.agentId ? <><Link to={`/agents/${t.agentId}`}>agent {t.agentId.slice(0, 8)}</Link>{t.usedAt && <>, <RelativeTime at={t.usedAt} /></>}</> : <span className="muted">—</span>}</td>
                <td>{t.state === 'valid' && (
                  <ConfirmButton label="Revoke" danger disabled={revoke.isPending}
                    question={<>Revoke join token <code>{t.prefix}…</code>? No agent can enrol with it then.</>}
                    onConfirm={() => revoke.mutate(t.id)} />
                )}</td>
              </tr>
            ))}
            {tokens.data?.items.length === 0 && <tr><td colSpan={8}>No join tokens{state ? ` ${state}` : ''}.</td></tr>}
          </tbody>
        </table>
      </TableScroll>
      {tokens.data && tokens.data.total > LIMIT && <Pager page={tokens.data.page} limit={LIMIT} total={tokens.data.total} onPage={setPage} />}
      <JoinTokenForm />
    </section>
  );
}
