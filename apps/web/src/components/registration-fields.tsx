import { Alert, Checkbox, Fieldset, NumberInput, PasswordInput, SegmentedControl, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { humanize, isObjectSchema, variantTag, type FormState, type NestedSchema } from './registration-values.js';

const LABELS: Record<string, string> = { ipmi: 'IPMI', redfish: 'Redfish' };
const isSecret = (s: NestedSchema) => s.writeOnly === true || s.format === 'password';

interface FieldsProps {
  schema: NestedSchema;
  state: FormState;
  onChange: (state: FormState) => void;
  /** Dotted path of this object in the value (`ssh`), for ids and messages. */
  path: string;
  messages: Record<string, string[]>;
}

function ScalarField({ name, prop, value, required, id, error, onChange }: {
  name: string; prop: NestedSchema; value: string | boolean | undefined; required: boolean; id: string; error?: string; onChange: (v: string | boolean) => void;
}) {
  const label = prop.title ?? humanize(name);
  const common = { id, label, required, error, description: prop.description, name };
  const text = typeof value === 'string' ? value : '';
  if (prop.type === 'boolean') return <Checkbox id={id} label={label} description={prop.description} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />;
  if (prop.enum) {
    return <Select {...common} data={prop.enum.map(String)} value={text || null} placeholder={prop.default === undefined ? undefined : `${String(prop.default)} (default)`} clearable onChange={(v) => onChange(v ?? '')} />;
  }
  if (prop.type === 'integer' || prop.type === 'number') {
    return <NumberInput {...common} min={prop.minimum} max={prop.maximum} allowDecimal={prop.type === 'number'} placeholder={prop.default === undefined ? undefined : String(prop.default)} value={text} onChange={(v) => onChange(String(v))} />;
  }
  // Private keys: many lines, masked like a password.
  if ((prop.maxLength ?? 0) > 1024) return <Textarea {...common} className="secret-text" rows={3} spellCheck={false} autoComplete="off" value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
  if (isSecret(prop)) return <PasswordInput {...common} autoComplete="new-password" value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
  return <TextInput {...common} autoComplete="off" value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
}

/** An object with both a key and a password to log in with shows one of them at a time. */
const AUTH = { key: ['privateKey', 'passphrase'], password: ['password'] } as const;
type Auth = keyof typeof AUTH;
const hasAuthChoice = (s: NestedSchema) => !!s.properties?.privateKey && !!s.properties?.password;

/**
 * Inputs for a nested JSON Schema (a provider type's registration schema): scalars as Mantine inputs
 * (secrets masked), nested objects as fieldsets, a `oneOf` as a choice between its variants or none.
 */
export function RegistrationFields({ schema, state, onChange, path, messages }: FieldsProps) {
  const required = new Set(schema.required ?? []);
  const at = (key: string) => (path ? `${path}.${key}` : key);
  const auth: Auth = state.$auth === 'password' ? 'password' : 'key';
  const hidden = hasAuthChoice(schema) ? new Set<string>(AUTH[auth === 'key' ? 'password' : 'key']) : new Set<string>();
  return (
    <Stack gap="sm">
      {hasAuthChoice(schema) && (
        <div>
          <Text size="sm" fw={500} id={`reg-${path}-auth`}>Log in with</Text>
          <SegmentedControl aria-labelledby={`reg-${path}-auth`} value={auth} data={[{ value: 'key', label: 'SSH key' }, { value: 'password', label: 'Password' }]}
            onChange={(v) => onChange({ ...state, $auth: v, ...Object.fromEntries(AUTH[v === 'key' ? 'password' : 'key'].map((k) => [k, ''])) })} />
        </div>
      )}
      {Object.entries(schema.properties ?? {}).filter(([key, prop]) => prop.const === undefined && !hidden.has(key)).map(([key, prop]) => {
        const value = state[key];
        const set = (v: FormState[string]) => onChange({ ...state, [key]: v });
        const id = `reg-${at(key).replace(/\./g, '-')}`;
        if (prop.oneOf) {
          const nested = (value as FormState | undefined) ?? {};
          const chosen = prop.oneOf.find((v) => variantTag(v)?.value === nested.$variant);
          const options = [{ value: '', label: 'None' }, ...prop.oneOf.map((v) => variantTag(v)!.value).map((t) => ({ value: t, label: LABELS[t] ?? t }))];
          return (
            <Fieldset key={key} legend={prop.title ?? humanize(key)}>
              <SegmentedControl aria-label={`${prop.title ?? humanize(key)} type`} value={String(nested.$variant ?? '')} data={options} onChange={(v) => set(v ? { $variant: v } : {})} />
              {chosen && <RegistrationFields schema={chosen} state={nested} onChange={set} path={at(key)} messages={messages} />}
            </Fieldset>
          );
        }
        if (isObjectSchema(prop)) {
          return (
            <Fieldset key={key} legend={prop.title ?? (key === 'ssh' ? 'SSH login' : humanize(key))}>
              <RegistrationFields schema={prop} state={(value as FormState | undefined) ?? {}} onChange={set} path={at(key)} messages={messages} />
            </Fieldset>
          );
        }
        return (
          <ScalarField key={key} name={key} prop={prop} value={value as string | boolean | undefined} required={required.has(key)} id={id}
            error={messages[at(key)]?.join('; ')} onChange={set} />
        );
      })}
    </Stack>
  );
}

/** Why the first connection matters, next to the SSH fields. */
export function HostKeyPinningNote() {
  return (
    <Alert variant="light" title="SSH host key pinning">
      The first time Overmind connects it records the server's SSH host key fingerprint (trust on first use). To pin it in
      advance, fill in the expected host key: <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> on the server's own
      console prints it. Afterwards a server presenting another key is refused before anything is sent, until an operator checks
      the change (for example a reinstall) and accepts the new key on the node page.
    </Alert>
  );
}
