import type { CreatedAgentToken, Node } from '@overmind/sdk';
import { useState, type FormEvent } from 'react';
import { useAgentRelease, useCreateAgentToken } from '../api/agent-queries.js';
import { CopyButton } from './copy-button.js';
import { ErrorNotice } from './error-notice.js';
import { FormField } from './form-field.js';
import { NodePicker } from './node-picker.js';
import { fieldMessages } from './schema-fields.js';

const TTLS: [seconds: number, label: string][] = [[900, '15 minutes'], [3600, '1 hour'], [86_400, '1 day'], [7 * 86_400, '7 days'], [30 * 86_400, '30 days']];
/** Where the hint puts the token on the node: a file, since install.sh refuses a token on its command line. */
export const TOKEN_FILE = '/root/overmind-join-token';

/** The one-line install of apps/agent/deploy/install.sh, fetched from this server. */
export const installCommand = (serverUrl: string) =>
  `curl -fsSL ${serverUrl}/api/v1/agent/install.sh | sudo sh -s -- --url ${serverUrl} --token-file ${TOKEN_FILE}`;

/**
 * The token, this once, with how to use it. Held only in the creating mutation's state: leaving the
 * page forgets it, as the API never shows it again.
 */
function JoinTokenCreated({ created, onDone }: { created: CreatedAgentToken; onDone: () => void }) {
  const release = useAgentRelease();
  // Until the server has an agent build, GET /agent/release answers 503: this console's own address is the best guess.
  const serverUrl = release.isPending ? null : (release.data?.serverUrl ?? window.location.origin);
  const command = serverUrl && installCommand(serverUrl);
  return (
    <div role="status" className="card join-token" aria-label="New join token">
      <p>
        Join token created{created.description ? ` (${created.description})` : ''}, valid until {new Date(created.expiresAt).toLocaleString()}
        {created.nodeId ? '; the agent that uses it becomes this node\'s agent at once' : '; the agent that uses it waits for approval'}.{' '}
        <strong>Copy it now: it is not shown again.</strong>
      </p>
      <p className="copyable"><code className="secret">{created.token}</code> <CopyButton text={created.token} label="Copy token" /></p>
      {command && (
        <>
          <p>On the node, save it in <code>{TOKEN_FILE}</code> (readable by root only; not on a command line, where other users and the shell history see it), then run:</p>
          <pre className="copyable install-command"><code>{command}</code></pre>
          <CopyButton text={command} label="Copy command" />
          {release.data === null && (
            <p className="muted">This server has no agent build to hand out yet (GET /api/v1/agent/release answers 503): the install script needs one. On a host that already has the agent, run <code>overmind-agent enroll --url {serverUrl} --token-file {TOKEN_FILE}</code>.</p>
          )}
          {release.data && <p className="muted">It installs agent {release.data.version} (Node.js 20 or newer needed), checking its SHA-256, and starts the <code>overmind-agent</code> service.</p>}
        </>
      )}
      <button type="button" onClick={onDone}>Done</button>
    </div>
  );
}

/**
 * Creates a one-time join token: for one node (its agent joins it at once) or for any (the agent waits
 * in the approval list). Given `node`, the token is for that node.
 */
export function JoinTokenForm({ node }: { node?: Pick<Node, 'id' | 'name'> }) {
  const create = useCreateAgentToken();
  const [ttl, setTtl] = useState('3600');
  const [bound, setBound] = useState<Pick<Node, 'id' | 'name'> | null>(null);
  const [description, setDescription] = useState('');
  const errors = fieldMessages(create.error, 'body');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { ttlSeconds: Number(ttl), nodeId: node?.id ?? bound?.id ?? null, description: description.trim() || null },
      { onSuccess: () => { setDescription(''); setBound(null); } },
    );
  };
  return (
    <>
      <form className="card form" onSubmit={submit} aria-label="Create a join token">
        <h3>Create a join token</h3>
        <p className="muted">An agent enrols once with it (<code>overmind-agent enroll</code>, or the install script), then proves its own key: the token is spent.</p>
        <FormField id="join-token-ttl" label="Valid for" errors={errors.ttlSeconds}>
          <select value={ttl} onChange={(e) => setTtl(e.target.value)}>
            {TTLS.map(([seconds, label]) => <option key={seconds} value={seconds}>{label}</option>)}
          </select>
        </FormField>
        {node
          ? <p>For node <strong>{node.name}</strong>.</p>
          : <NodePicker id="join-token-node" label="Node" value={bound} onChange={setBound} emptyLabel="Any node: approve the agent when it enrols" />}
        {errors.nodeId && <small className="field-error">{errors.nodeId.join('; ')}</small>}
        <FormField id="join-token-description" label="Description" errors={errors.description} help="Optional: what or who it is for.">
          <input maxLength={200} autoComplete="off" value={description} onChange={(e) => setDescription(e.target.value)} />
        </FormField>
        <ErrorNotice error={create.error} />
        <button type="submit" className="primary" disabled={create.isPending}>{create.isPending ? 'Creating…' : 'Create join token'}</button>
      </form>
      {create.data && <JoinTokenCreated created={create.data} onDone={() => create.reset()} />}
    </>
  );
}
