import { OvermindApiError } from '@overmind/sdk';
import { Button, FileInput, List, SegmentedControl, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useImportConstellation } from '../api/constellation-queries.js';
import { ErrorNotice } from '../components/error-notice.js';

type Format = 'yaml' | 'json';

/** A problem as the import names it: the field and, in the document, its line and column. */
interface DocumentError {
  field: string;
  message: string;
  line?: number;
  column?: number;
}

export const describeError = (e: DocumentError) => `${e.line !== undefined ? `line ${e.line}${e.column !== undefined ? `, column ${e.column}` : ''}: ` : ''}${e.field} ${e.message}`;

/** Import a constellation from an exported document, pasted or uploaded; each problem shown with its line. */
export function ConstellationImportForm() {
  const navigate = useNavigate();
  const importing = useImportConstellation();
  const [format, setFormat] = useState<Format>('yaml');
  const [document, setDocument] = useState('');
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const problems = importing.error instanceof OvermindApiError ? (importing.error.errors as DocumentError[]) : [];

  async function upload(f: File | null) {
    setFile(f);
    if (!f) return;
    setDocument(await f.text());
    if (/\.json$/i.test(f.name)) setFormat('json');
    else if (/\.ya?ml$/i.test(f.name)) setFormat('yaml');
  }

  return (
    <form
      aria-label="Import a constellation"
      onSubmit={(e) => {
        e.preventDefault();
        importing.mutate({ format, document, ...(name ? { name } : {}) }, { onSuccess: (c) => navigate(`/constellations/${c.id}`) });
      }}
    >
      <Stack gap="xs">
        <Title order={2}>Import</Title>
        <SegmentedControl value={format} onChange={(v) => setFormat(v as Format)} data={[{ value: 'yaml', label: 'YAML' }, { value: 'json', label: 'JSON' }]} aria-label="Format" />
        <FileInput label="Upload a document" description="A .yaml, .yml or .json file" accept=".yaml,.yml,.json,application/json,application/yaml" value={file} onChange={(f) => void upload(f)} clearable />
        <Textarea label="Document" rows={12} value={document} onChange={(e) => setDocument(e.currentTarget.value)} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} required />
        <TextInput label="Name" description="Instead of the document's name" value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={30} />
        {problems.length > 0 ? (
          <div role="alert">
            <Text fw={600}>The document has {problems.length} problem{problems.length > 1 ? 's' : ''}:</Text>
            <List size="sm" aria-label="Problems">
              {problems.map((p, i) => <List.Item key={i}>{describeError(p)}</List.Item>)}
            </List>
          </div>
        ) : (
          <ErrorNotice error={importing.error} />
        )}
        <Button type="submit" loading={importing.isPending} disabled={!document.trim()}>Import</Button>
      </Stack>
    </form>
  );
}
