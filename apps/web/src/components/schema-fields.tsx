import { OvermindApiError } from '@overmind/sdk';

/** The subset of JSON Schema the provider types use for credentials and settings. */
export interface JsonSchema {
  type?: string;
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  writeOnly?: boolean;
  format?: string;
}

export type FieldValues = Record<string, string | boolean>;
/** Messages per property; '' holds those about the whole object. */
export type FieldMessages = Record<string, string[]>;

/** The API's errors[] under one body field (`body.credentials`), keyed by the property below it. */
export function fieldMessages(error: unknown, field: string): FieldMessages {
  const out: FieldMessages = {};
  if (!(error instanceof OvermindApiError)) return out;
  for (const e of error.errors) {
    if (e.field !== field && !e.field.startsWith(`${field}.`)) continue;
    const key = e.field.slice(field.length + 1).split('.')[0] ?? '';
    (out[key] ??= []).push(e.message);
  }
  return out;
}

const isSecret = (s: JsonSchema) => s.writeOnly === true || s.format === 'password';
const isLongText = (s: JsonSchema) => (s.maxLength ?? 0) > 1024 || s.format === 'textarea';

/** Form values as the schema's types (numbers as numbers, JSON fields parsed); blanks left out. */
export function valuesFor(schema: JsonSchema, values: FieldValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const v = values[key];
    if (v === undefined || v === '') continue;
    if (prop.type === 'integer' || prop.type === 'number') out[key] = Number(v);
    else if (prop.type === 'object' || prop.type === 'array') out[key] = JSON.parse(String(v));
    else out[key] = v;
  }
  return out;
}

/** The inverse of valuesFor: stored values as form values, to prefill an edit form. */
export function fieldValuesFrom(schema: JsonSchema, data: Record<string, unknown>): FieldValues {
  const out: FieldValues = {};
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const v = data[key];
    if (v === undefined || v === null) continue;
    out[key] = typeof v === 'boolean' ? v : prop.type === 'object' || prop.type === 'array' ? JSON.stringify(v) : String(v);
  }
  return out;
}

/**
 * Inputs for an object schema. Secret (writeOnly) properties are password inputs, or masked text
 * areas when they hold multi-line values such as private keys.
 */
export function SchemaFields(props: { schema: JsonSchema; idPrefix: string; values: FieldValues; errors?: FieldMessages; onChange: (values: FieldValues) => void }) {
  const { schema, idPrefix, values, errors = {} } = props;
  const required = new Set(schema.required ?? []);
  const set = (key: string, value: string | boolean) => props.onChange({ ...values, [key]: value });
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, prop]) => {
        const id = `${idPrefix}-${key}`;
        const messages = errors[key] ?? [];
        const describedBy = [prop.description ? `${id}-help` : '', messages.length ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
        const common = { id, name: key, 'aria-invalid': messages.length > 0 || undefined, 'aria-describedby': describedBy, required: required.has(key) };
        const text = String(values[key] ?? '');
        let input;
        if (prop.type === 'boolean') {
          input = <input type="checkbox" {...common} required={false} checked={values[key] === true} onChange={(e) => set(key, e.target.checked)} />;
        } else if (prop.enum) {
          input = (
            <select {...common} value={text} onChange={(e) => set(key, e.target.value)}>
              <option value="">—</option>
              {prop.enum.map((o) => <option key={String(o)} value={String(o)}>{String(o)}</option>)}
            </select>
          );
        } else if (prop.type === 'integer' || prop.type === 'number') {
          input = <input type="number" {...common} min={prop.minimum} max={prop.maximum} step={prop.type === 'integer' ? 1 : 'any'} placeholder={prop.default === undefined ? undefined : String(prop.default)} value={text} onChange={(e) => set(key, e.target.value)} />;
        } else if (prop.type === 'object' || prop.type === 'array' || isLongText(prop)) {
          input = <textarea {...common} className={isSecret(prop) ? 'secret-text' : undefined} rows={4} spellCheck={false} autoComplete="off" value={text} onChange={(e) => set(key, e.target.value)} />;
        } else {
          input = <input type={isSecret(prop) ? 'password' : 'text'} autoComplete={isSecret(prop) ? 'new-password' : 'off'} {...common} value={text} onChange={(e) => set(key, e.target.value)} />;
        }
        return (
          <div className="field" key={key}>
            <label htmlFor={id}>{prop.title ?? key}{required.has(key) ? ' *' : ''}</label>
            {input}
            {prop.description && <small id={`${id}-help`}>{prop.description}</small>}
            {messages.length > 0 && <small id={`${id}-error`} className="field-error">{messages.join('; ')}</small>}
          </div>
        );
      })}
    </>
  );
}
