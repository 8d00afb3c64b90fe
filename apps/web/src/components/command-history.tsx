import { Badge, Button, Code, Group, Pagination, Table, Text } from '@mantine/core';
import type { CommandHistoryEntry } from '@overmind/sdk';
import { useState } from 'react';
import { HISTORY_PAGE, useCommandHistory } from '../api/command-queries.js';
import { ErrorNotice } from './error-notice.js';
import { RelativeTime } from './relative-time.js';

const COLORS: Record<string, string> = { succeeded: 'green', failed: 'red', cancelled: 'gray', running: 'blue', queued: 'gray' };

/** The commands this user ran, newest first: show one's output again, or fill the form with it. */
export function CommandHistory({ onShow, onReuse }: { onShow: (entry: CommandHistoryEntry) => void; onReuse: (entry: CommandHistoryEntry) => void }) {
  const [page, setPage] = useState(1);
  const history = useCommandHistory(page);
  const items = history.data?.items ?? [];
  return (
    <section aria-labelledby="command-history-title">
      <h2 id="command-history-title">Your command history</h2>
      <ErrorNotice error={history.error} />
      {history.data && items.length === 0 && <Text size="sm">No commands yet: the ones you run appear here.</Text>}
      {items.length > 0 && (
        <Table aria-label="Command history" striped>
          <Table.Thead><Table.Tr><Table.Th>When</Table.Th><Table.Th>Command</Table.Th><Table.Th>Nodes</Table.Th><Table.Th>State</Table.Th><Table.Th /></Table.Tr></Table.Thead>
          <Table.Tbody>
            {items.map((h) => (
              <Table.Tr key={h.id}>
                <Table.Td><RelativeTime at={h.createdAt} /></Table.Td>
                <Table.Td><Code>{h.command.length > 120 ? `${h.command.slice(0, 120)}…` : h.command}</Code></Table.Td>
                <Table.Td>{h.nodeIds.length}</Table.Td>
                <Table.Td>{h.jobState ? <Badge color={COLORS[h.jobState] ?? 'gray'}>{h.jobState}</Badge> : '—'}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    {h.jobId && <Button size="xs" variant="subtle" onClick={() => onShow(h)} aria-label={`Show output of ${h.command}`}>Output</Button>}
                    <Button size="xs" variant="subtle" onClick={() => onReuse(h)} aria-label={`Use again: ${h.command}`}>Use again</Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {(history.data?.total ?? 0) > HISTORY_PAGE && <Pagination total={Math.ceil(history.data!.total / HISTORY_PAGE)} value={page} onChange={setPage} size="sm" />}
    </section>
  );
}
