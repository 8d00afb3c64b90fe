import { Anchor, Badge, Button, FileButton, Group, PasswordInput, Stack, Table, Text, Textarea } from '@mantine/core';
import { newIdempotencyKey, OvermindApiError } from '@overmind/sdk';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { useRegisterNode } from '../api/dedicated-queries.js';
import { parseServerList, SERVER_COLUMNS, type ServerRow } from './server-list.js';

type Outcome = { state: 'sending' } | { state: 'queued'; jobId: string; nodeId: string } | { state: 'refused'; message: string };

const EXAMPLE = `name,address,port,username,bmc_type,bmc_address,tags\nweb-1,10.0.0.11,22,admin,ipmi,10.0.1.11,rack-a web\nweb-2,10.0.0.12,22,admin,,,rack-a`;

const messageOf = (err: unknown) =>
  err instanceof OvermindApiError ? [err.detail, ...err.errors.map((e) => `${e.field}: ${e.message}`)].join(' — ') + (err.requestId ? ` (request ${err.requestId})` : '') : String(err);

/**
 * Many servers at once: a pasted list or a CSV file (a header naming the columns, one server a line),
 * with the SSH key or password and BMC password shared by all rows (never in the list). Each row is its
 * own request with its own idempotency key, kept, so sending again retries only what was refused.
 */
export function BulkRegistration({ providerId }: { providerId: string }) {
  const register = useRegisterNode(providerId);
  const [text, setText] = useState('');
  const [shared, setShared] = useState({ privateKey: '', passphrase: '', password: '', bmcPassword: '' });
  const [outcomes, setOutcomes] = useState<Record<number, Outcome>>({});
  const [sending, setSending] = useState(false);
  const keys = useRef(new Map<string, string>());
  const parsed = parseServerList(text, shared);
  const valid = parsed.rows.filter((r) => !r.error);

  const send = async () => {
    setSending(true);
    for (const row of valid) {
      if (outcomes[row.line]?.state === 'queued') continue;
      const body = { name: row.name, registration: row.registration, ...(row.tags.length ? { tags: row.tags } : {}) };
      const id = JSON.stringify(body);
      const idempotencyKey = keys.current.get(id) ?? newIdempotencyKey();
      keys.current.set(id, idempotencyKey);
      setOutcomes((o) => ({ ...o, [row.line]: { state: 'sending' } }));
      try {
        const job = await register.mutateAsync({ body, idempotencyKey });
        setOutcomes((o) => ({ ...o, [row.line]: { state: 'queued', jobId: job.id, nodeId: job.targetId } }));
      } catch (err) {
        setOutcomes((o) => ({ ...o, [row.line]: { state: 'refused', message: messageOf(err) } }));
      }
    }
    setSending(false);
  };
  const setSecret = (key: keyof typeof shared) => (e: { currentTarget: { value: string } }) => setShared({ ...shared, [key]: e.currentTarget.value });
  const result = (row: ServerRow) => {
    if (row.error) return <Text c="red" size="sm">Not sent: {row.error}</Text>;
    const o = outcomes[row.line];
    if (!o) return <Text size="sm" c="dimmed">ready</Text>;
    if (o.state === 'sending') return <Badge color="gray">sending…</Badge>;
    if (o.state === 'refused') return <Text c="red" size="sm">{o.message}</Text>;
    return <Group gap="xs"><Badge color="green">queued</Badge><Anchor component={Link} to={`/nodes/${o.nodeId}`}>node</Anchor><Anchor component={Link} to={`/jobs/${o.jobId}`}>job</Anchor></Group>;
  };
  const sent = Object.values(outcomes).filter((o) => o.state === 'queued').length;
  return (
    <Stack gap="sm">
      <Textarea label="Servers" description={`A header line, then one server a line. Columns: ${SERVER_COLUMNS.join(', ')} (name and address required; tags separated by spaces).`}
        rows={5} spellCheck={false} placeholder={EXAMPLE} value={text} onChange={(e) => setText(e.currentTarget.value)} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} />
      <Group>
        <FileButton accept=".csv,text/csv,text/plain" onChange={(file) => void file?.text().then(setText)}>
          {(props) => <Button variant="default" {...props}>Open a CSV file</Button>}
        </FileButton>
      </Group>
      <Text size="sm">Logins shared by every row (leave blank to use the provider's default logins):</Text>
      <Textarea label="SSH private key" className="secret-text" rows={2} spellCheck={false} autoComplete="off" value={shared.privateKey} onChange={setSecret('privateKey')} />
      <Group grow>
        <PasswordInput label="Key passphrase" autoComplete="new-password" value={shared.passphrase} onChange={setSecret('passphrase')} />
        <PasswordInput label="SSH password" autoComplete="new-password" value={shared.password} onChange={setSecret('password')} />
        <PasswordInput label="BMC password" autoComplete="new-password" value={shared.bmcPassword} onChange={setSecret('bmcPassword')} />
      </Group>
      {parsed.error && <Text c="red" role="alert">{parsed.error}</Text>}
      {parsed.rows.length > 0 && (
        <Table aria-label="Servers to register" striped>
          <Table.Thead><Table.Tr><Table.Th>Line</Table.Th><Table.Th>Name</Table.Th><Table.Th>Address</Table.Th><Table.Th>Result</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {parsed.rows.map((row) => (
              <Table.Tr key={row.line} data-line={row.line}>
                <Table.Td>{row.line}</Table.Td><Table.Td>{row.name}</Table.Td><Table.Td>{String(row.registration.address ?? '')}</Table.Td><Table.Td>{result(row)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group>
        <Button onClick={() => void send()} loading={sending} disabled={valid.length === 0 || sent === valid.length}>
          {sent > 0 && sent < valid.length ? `Send the ${valid.length - sent} not queued` : `Register ${valid.length} server${valid.length === 1 ? '' : 's'}`}
        </Button>
        {sent > 0 && <Text size="sm">{sent} of {valid.length} queued</Text>}
      </Group>
    </Stack>
  );
}
