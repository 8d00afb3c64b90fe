import '@mantine/dropzone/styles.css';
import { Alert, Badge, Code, Group, List, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { OvermindApiError } from '@overmind/sdk';
import { useState } from 'react';
import { problemsByFile, useKitchen, useUploadKitchen } from '../api/kitchen-queries.js';
import { hasRole } from '../api/session-store.js';
import { ErrorNotice } from '../components/error-notice.js';
import { useSession } from '../session-context.js';

const ARCHIVES = { 'application/gzip': ['.tar.gz', '.tgz'], 'application/x-gzip': ['.tar.gz', '.tgz'], 'application/octet-stream': ['.tar.gz', '.tgz'] };

/** Problems of a refused archive, or of the kitchen in place, grouped by file. */
function Problems({ title, groups }: { title: string; groups: [string, string[]][] }) {
  return (
    <Alert color="red" title={title} aria-label={title}>
      <List size="sm" spacing={4}>
        {groups.map(([file, messages]) => (
          <List.Item key={file}><Code>{file || 'the archive'}</Code>: {messages.join('; ')}</List.Item>
        ))}
      </List>
    </Alert>
  );
}

const matches = (search: string, ...values: (string | null)[]) => !search || values.some((v) => v?.toLowerCase().includes(search.toLowerCase()));

/** The Chef kitchen: upload an archive (drop or pick), see what was wrong by file, browse its roles, recipes and environments. */
export function KitchenPage() {
  const operator = hasRole(useSession(), 'operator');
  const kitchen = useKitchen();
  const upload = useUploadKitchen();
  const [search, setSearch] = useState('');
  const refused = upload.error instanceof OvermindApiError && upload.error.status === 422 ? problemsByFile(upload.error.errors) : null;
  const k = kitchen.data;
  return (
    <Stack>
      <Title order={1}>Chef kitchen</Title>
      {operator && (
        <Dropzone onDrop={(files: File[]) => files[0] && upload.mutate(files[0])} onReject={() => upload.reset()} accept={ARCHIVES} multiple={false} loading={upload.isPending} aria-label="Upload a kitchen archive">
          <Group justify="center" mih={90} style={{ pointerEvents: 'none' }}>
            <div>
              <Text size="lg" inline>Drop a kitchen archive here, or click to choose one</Text>
              <Text size="sm" c="dimmed" mt={6}>A .tar.gz of cookbooks/, site-cookbooks/, roles/, environments/, data_bags/. It is checked first: a kitchen with problems is refused and the current one stays.</Text>
            </div>
          </Group>
        </Dropzone>
      )}
      {upload.isSuccess && <Alert color="green" title="Kitchen uploaded" role="status">{k ? `${k.roles.length} roles, ${k.recipes.length} recipes, ${k.environments.length} environments.` : ''}</Alert>}
      {refused ? <><Problems title="Kitchen refused, the previous one stays in place" groups={refused} /><ErrorNotice error={upload.error} /></> : <ErrorNotice error={upload.error} />}
      <ErrorNotice error={kitchen.error} />
      {k && !k.uploaded && <Text>No kitchen yet. {operator ? 'Drop an archive above to upload the first one.' : 'An operator uploads it.'}</Text>}
      {k && k.problems.length > 0 && <Problems title="Problems in the current kitchen" groups={problemsByFile(k.problems.map((p) => ({ field: p.file ?? '', message: `${p.line ? `line ${p.line}: ` : ''}${p.message}` })))} />}
      {k?.uploaded && (
        <>
          <TextInput label="Filter" placeholder="name or description" value={search} onChange={(e) => setSearch(e.currentTarget.value)} maw={320} />
          <Tabs defaultValue="roles">
            <Tabs.List>
              <Tabs.Tab value="roles">Roles <Badge size="xs">{k.roles.length}</Badge></Tabs.Tab>
              <Tabs.Tab value="recipes">Recipes <Badge size="xs">{k.recipes.length}</Badge></Tabs.Tab>
              <Tabs.Tab value="environments">Environments <Badge size="xs">{k.environments.length}</Badge></Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="roles" pt="sm">
              <Table aria-label="Kitchen roles" striped>
                <Table.Thead><Table.Tr><Table.Th>Role</Table.Th><Table.Th>Description</Table.Th><Table.Th>Run list</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {k.roles.filter((r) => matches(search, r.name, r.description)).map((r) => (
                    <Table.Tr key={r.name}><Table.Td>{r.name}</Table.Td><Table.Td>{r.description ?? '—'}</Table.Td><Table.Td>{r.runList.map((i) => <Code key={i} mr={4}>{i}</Code>)}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Tabs.Panel>
            <Tabs.Panel value="recipes" pt="sm">
              <Table aria-label="Kitchen recipes" striped>
                <Table.Thead><Table.Tr><Table.Th>Recipe</Table.Th><Table.Th>Cookbook</Table.Th><Table.Th>Description</Table.Th><Table.Th>Depends on</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {k.recipes.filter((r) => matches(search, r.name, r.description, r.cookbook)).map((r) => (
                    <Table.Tr key={r.name}><Table.Td>{r.name}</Table.Td><Table.Td>{r.cookbook}</Table.Td><Table.Td>{r.description ?? '—'}</Table.Td><Table.Td>{r.dependencies.join(', ') || '—'}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Tabs.Panel>
            <Tabs.Panel value="environments" pt="sm">
              <Table aria-label="Kitchen environments" striped>
                <Table.Thead><Table.Tr><Table.Th>Environment</Table.Th><Table.Th>Description</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {k.environments.filter((e) => matches(search, e.name, e.description)).map((e) => (
                    <Table.Tr key={e.name}><Table.Td>{e.name}</Table.Td><Table.Td>{e.description ?? '—'}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Tabs.Panel>
          </Tabs>
        </>
      )}
    </Stack>
  );
}
