import { Button, Group, MultiSelect, NumberInput, SegmentedControl, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import { MAX_COMMAND_NODES, nodesWithTag, useRunCommand } from '../api/command-queries.js';
import { useNodeNames } from '../api/node-names.js';
import { useNodes } from '../api/node-queries.js';
import { CommandHistory } from '../components/command-history.js';
import { CommandOutput } from '../components/command-output.js';
import { ErrorNotice } from '../components/error-notice.js';
import { useUrlFilters } from '../components/use-url-filters.js';

const idsFrom = (value: string | null) => (value ? value.split(',').filter(Boolean) : []);

/** Nodes picked by name (searched on the server), kept in the URL as `nodes=`. */
function NodeChooser({ ids, onChange }: { ids: string[]; onChange: (ids: string[]) => void }) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const found = useNodes({ search: debounced || undefined, limit: 50 });
  const names = useNodeNames(ids);
  const data = new Map<string, string>(ids.map((id) => [id, names.get(id) ?? id]));
  for (const n of found.data?.items ?? []) if (!n.destroyedAt && !n.decommissionedAt) data.set(n.id, n.name);
  return (
    <MultiSelect label="Nodes" placeholder={ids.length ? undefined : 'type to search by name or address'} searchable searchValue={search} onSearchChange={setSearch}
      data={[...data].map(([value, label]) => ({ value, label }))} value={ids} onChange={onChange} filter={({ options }) => options} maxValues={MAX_COMMAND_NODES}
      nothingFoundMessage={found.isFetching ? 'searching…' : 'no node matches'} clearable hidePickedOptions />
  );
}

/**
 * The command runner: nodes picked from the list or by tag, a command, and each node's output live
 * in its own pane with its exit code; the failed ones can be run again. Operators only.
 */
export function CommandRunnerPage() {
  const [params, update] = useUrlFilters();
  const nodeIds = idsFrom(params.get('nodes'));
  const jobId = params.get('job');
  const [by, setBy] = useState<'nodes' | 'tag'>('nodes');
  const [tag, setTag] = useState('');
  const [tagError, setTagError] = useState('');
  const [command, setCommand] = useState('');
  const [timeout, setTimeoutSeconds] = useState<string | number>('');
  const [ran, setRan] = useState<string[]>(idsFrom(params.get('ran')));
  const run = useRunCommand();

  const start = (targets: string[]) => {
    run.mutate(
      { nodeIds: targets, command, ...(timeout !== '' ? { timeoutSeconds: Number(timeout) } : {}) },
      { onSuccess: (job) => { setRan(targets); update({ job: job.id, ran: targets.join(',') }); } },
    );
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTagError('');
    if (by === 'nodes') return start(nodeIds);
    try {
      const tagged = (await nodesWithTag(tag.trim())).filter((n) => !n.destroyedAt && !n.decommissionedAt);
      if (tagged.length === 0) return setTagError(`No live node has the tag ${tag.trim()}.`);
      update({ nodes: tagged.map((n) => n.id).join(',') });
      start(tagged.map((n) => n.id));
    } catch (err) {
      setTagError(err instanceof Error ? err.message : String(err));
    }
  };
  const shownIds = ran.length ? ran : nodeIds;
  return (
    <Stack>
      <Title order={1}>Run a command</Title>
      <form onSubmit={(e) => void submit(e)} aria-label="Run a command">
        <Stack gap="sm" maw={760}>
          <SegmentedControl aria-label="Pick nodes by" value={by} onChange={(v) => setBy(v as 'nodes' | 'tag')} data={[{ value: 'nodes', label: 'Nodes' }, { value: 'tag', label: 'Tag' }]} w="fit-content" />
          {by === 'nodes'
            ? <NodeChooser ids={nodeIds} onChange={(ids) => update({ nodes: ids.join(',') })} />
            : <TextInput label="Tag" description="Every live node with this tag" value={tag} onChange={(e) => setTag(e.currentTarget.value)} error={tagError || undefined} required />}
          <Textarea label="Command" description="Run by each node's login shell. Secrets do not belong here: the command is kept in the audit log and your history." required rows={2}
            spellCheck={false} value={command} onChange={(e) => setCommand(e.currentTarget.value)} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} />
          <NumberInput label="Timeout (seconds)" description="Per node; the provider's own limit when empty" min={1} max={86_400} w={240} value={timeout} onChange={setTimeoutSeconds} />
          <ErrorNotice error={run.error} />
          <Group>
            <Button type="submit" loading={run.isPending} disabled={!command.trim() || (by === 'nodes' && nodeIds.length === 0) || (by === 'tag' && !tag.trim())}>
              {by === 'nodes' ? `Run on ${nodeIds.length} node${nodeIds.length === 1 ? '' : 's'}` : 'Run on the tagged nodes'}
            </Button>
          </Group>
        </Stack>
      </form>
      {jobId && shownIds.length > 0 && (
        <CommandOutput key={jobId} jobId={jobId} nodeIds={shownIds} onRerun={command.trim() ? (failed) => { update({ nodes: failed.join(',') }); start(failed); } : undefined} />
      )}
      {jobId && !command.trim() && <Text size="sm" c="dimmed">Type the command again (or use it from the history) to run it on the failed nodes.</Text>}
      <CommandHistory
        onShow={(h) => { setRan(h.nodeIds); setCommand(h.command); update({ job: h.jobId ?? '', ran: h.nodeIds.join(',') }); }}
        onReuse={(h) => { setBy('nodes'); setCommand(h.command); update({ nodes: h.nodeIds.join(',') }); }}
      />
    </Stack>
  );
}
