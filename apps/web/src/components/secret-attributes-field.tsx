import { ActionIcon, Button, Checkbox, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';

/** One secret attribute in the form: a stored one (its value never shown) or a new one. */
export interface SecretRow {
  path: string;
  value: string;
  stored: boolean;
  remove: boolean;
}

export const secretRows = (storedPaths: readonly string[]): SecretRow[] => storedPaths.map((path) => ({ path, value: '', stored: true, remove: false }));

/**
 * What to send: a new value sets a path, a removed stored path is null (the API's merge patch), and a
 * stored path left empty is left out, so its sealed value stays. Empty new rows are ignored.
 */
export function secretPatch(rows: readonly SecretRow[]): Record<string, string | null> {
  const patch: Record<string, string | null> = {};
  for (const row of rows) {
    const path = row.path.trim();
    if (!path) continue;
    if (row.stored && row.remove) patch[path] = null;
    else if (row.value) patch[path] = row.value;
  }
  return patch;
}

/**
 * Secret attributes by dotted path (`mysql.root_password`): write-only. Stored ones show their path only;
 * typing a value replaces it, and they can be removed. Errors from the API arrive by path.
 */
export function SecretAttributesField({ rows, onChange, errorFor }: { rows: SecretRow[]; onChange: (rows: SecretRow[]) => void; errorFor: (path: string) => string | undefined }) {
  const update = (i: number, change: Partial<SecretRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  return (
    <fieldset>
      <legend><Text size="sm" fw={500} span>Secret attributes</Text></legend>
      <Text size="xs" c="dimmed" mb={6}>
        Passwords and keys for the run list, by dotted path. Stored sealed, never shown again, merged into the node's attributes only while it is configured, and masked in job logs.
      </Text>
      <Stack gap={6}>
        {rows.map((row, i) => (
          <Group key={i} align="start" gap="xs" wrap="nowrap">
            {row.stored
              ? <TextInput aria-label={`Secret attribute ${i + 1} path`} value={row.path} readOnly w="40%" />
              : <TextInput aria-label={`Secret attribute ${i + 1} path`} placeholder="mysql.root_password" value={row.path} spellCheck={false} w="40%"
                  onChange={(e) => update(i, { path: e.currentTarget.value })} error={errorFor(row.path.trim())} />}
            <PasswordInput aria-label={`Secret attribute ${i + 1} value`} autoComplete="new-password" style={{ flex: 1 }} disabled={row.remove}
              placeholder={row.stored ? 'stored; type to replace' : 'value'} value={row.value} onChange={(e) => update(i, { value: e.currentTarget.value })}
              error={row.stored ? errorFor(row.path) : undefined} />
            {row.stored
              ? <Checkbox mt={8} label="Remove" checked={row.remove} onChange={(e) => update(i, { remove: e.currentTarget.checked, value: '' })} />
              : <ActionIcon mt={4} variant="subtle" color="gray" aria-label={`Drop secret attribute ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>×</ActionIcon>}
          </Group>
        ))}
        <Button size="xs" variant="default" w="fit-content" onClick={() => onChange([...rows, { path: '', value: '', stored: false, remove: false }])}>Add a secret attribute</Button>
      </Stack>
    </fieldset>
  );
}
