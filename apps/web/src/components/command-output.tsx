import { Badge, Box, Button, Code, Group, Paper, ScrollArea, Stack, Text } from '@mantine/core';
import { AUTO_GRID } from './auto-grid.js';
import { useEffect, useMemo } from 'react';
import { Link } from 'react-router';
import { outcomesOf, splitByNode, type NodePane } from '../api/command-queries.js';
import { isFinished, LOG_POLL_MS, useJob, useJobLog } from '../api/job-queries.js';
import { useNodeNames } from '../api/node-names.js';
import { ErrorNotice } from './error-notice.js';

function ExitBadge({ pane, finished }: { pane: NodePane; finished: boolean }) {
  if (pane.error) return <Badge color="red">did not run</Badge>;
  if (pane.exitCode === undefined) return <Badge color={finished ? 'gray' : 'blue'}>{finished ? 'no exit code' : 'running'}</Badge>;
  if (pane.exitCode === null) return <Badge color="red">killed</Badge>;
  return <Badge color={pane.exitCode === 0 ? 'green' : 'red'}>exit {pane.exitCode}</Badge>;
}

/**
 * A `nodes.run` job as one pane per node: its output lines as they arrive (from the job's log, live
 * through the event stream), then its exit code. The job's own lines (start, summary) come first.
 */
export function CommandOutput({ jobId, nodeIds, onRerun }: { jobId: string; nodeIds: string[]; onRerun?: (nodeIds: string[]) => void }) {
  const job = useJob(jobId);
  // Until the job is known, it counts as running: its end then reads the log once more.
  const live = !job.error && (!job.data || !isFinished(job.data.state));
  const { log, complete, error } = useJobLog(jobId, live);
  // The job's end comes as an event; should it arrive before the first answer, this poll still sees it.
  const { refetch } = job;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => void refetch(), LOG_POLL_MS);
    return () => clearInterval(timer);
  }, [live, refetch]);
  const names = useNodeNames(nodeIds);
  const lines = useMemo(() => log?.chunks.flat().map((l) => l.line) ?? [], [log]);
  const { panes, own } = useMemo(() => splitByNode(lines, [...names.values()]), [lines, names]);
  // Exit codes are shown with the lines that led to them, not before.
  const finished = !live && complete;
  const outcomes = outcomesOf(job.data?.result);
  const failed = finished
    ? nodeIds.filter((id) => {
        const outcome = outcomes.find((o) => o.nodeId === id);
        const pane = panes.get(names.get(id) ?? id);
        return outcome ? !outcome.ok : pane?.exitCode !== 0;
      })
    : [];
  return (
    <Stack gap="sm" aria-label="Command output" role="region">
      <Group>
        <Text size="sm">Job <Link to={`/jobs/${jobId}`}>{jobId.slice(0, 8)}</Link>: {job.data?.state ?? '…'}</Text>
        {finished && onRerun && failed.length > 0 && <Button size="xs" variant="outline" onClick={() => onRerun(failed)}>Run again on the {failed.length} failed</Button>}
      </Group>
      {own.length > 0 && <Code block>{own.join('\n')}</Code>}
      <ErrorNotice error={job.error ?? error} />
      <Box style={nodeIds.length > 1 ? AUTO_GRID : undefined}>
        {nodeIds.map((id) => {
          const name = names.get(id) ?? id;
          const pane = panes.get(name) ?? { lines: [], exitCode: undefined };
          const outcome = outcomes.find((o) => o.nodeId === id);
          const shown: NodePane = outcome ? { ...pane, exitCode: outcome.exitCode, error: outcome.error ?? pane.error } : pane;
          return (
            <Paper key={id} withBorder p="xs" role="group" aria-label={`Output of ${name}`} data-node={name}>
              <Group justify="space-between" mb={4}>
                <Text fw={600} size="sm">{name}</Text>
                <ExitBadge pane={shown} finished={finished} />
              </Group>
              {shown.error && <Text size="sm" c="red">{shown.error}</Text>}
              <ScrollArea.Autosize mah={320}>
                <Code block data-output>{shown.lines.length ? shown.lines.join('\n') : finished ? '(no output)' : 'waiting for output…'}</Code>
              </ScrollArea.Autosize>
            </Paper>
          );
        })}
      </Box>
    </Stack>
  );
}
