import type { ProviderType } from '@overmind/sdk';
import type { ReactNode } from 'react';
import { FormField } from './form-field.js';
import { fieldMessages, SchemaFields, valuesFor, type FieldValues, type JsonSchema } from './schema-fields.js';

export interface ProviderValues {
  name: string;
  credentials: FieldValues;
  settings: FieldValues;
}

export const EMPTY_PROVIDER_VALUES: ProviderValues = { name: '', credentials: {}, settings: {} };

/** Credentials and settings as the type's schemas want them; throws when a JSON field does not parse. */
export function schemaValues(type: ProviderType, values: ProviderValues) {
  return {
    credentials: valuesFor(type.credentialSchema as JsonSchema, values.credentials),
    settings: valuesFor(type.settingsSchema as JsonSchema, values.settings),
  };
}

/**
 * The name, credential and settings inputs shared by the add and edit forms, with the API's
 * messages at each. `keepCredentials` (editing): stored credentials are never shown, so the
 * inputs start empty and are required only once one is filled in, as the API replaces the whole set.
 */
export function ProviderFields(props: {
  type: ProviderType;
  values: ProviderValues;
  onChange: (values: ProviderValues) => void;
  error: unknown;
  keepCredentials?: boolean;
  children?: ReactNode;
}) {
  const { type, values, onChange, error, keepCredentials = false } = props;
  const credentialErrors = fieldMessages(error, 'body.credentials');
  const credentialSchema = type.credentialSchema as JsonSchema;
  const replacing = !keepCredentials || Object.values(values.credentials).some((v) => v !== '' && v !== false);
  const set = (patch: Partial<ProviderValues>) => onChange({ ...values, ...patch });
  const describedBy = [keepCredentials ? 'credentials-help' : '', credentialErrors['']?.length ? 'credentials-error' : ''].filter(Boolean).join(' ');
  // The API refuses to send stored credentials to a changed address: say so before it does.
  const settingsSchema = type.settingsSchema as JsonSchema;
  const endpoints = type.endpointSettings.map((key) => settingsSchema.properties?.[key]?.title ?? key);
  return (
    <>
      <FormField id="provider-name" label="Name *" errors={fieldMessages(error, 'body.name')['']}>
        <input required value={values.name} onChange={(e) => set({ name: e.target.value })} />
      </FormField>
      {props.children}
      <fieldset aria-describedby={describedBy || undefined}>
        <legend>{keepCredentials ? 'Replace credentials' : 'Credentials'}</legend>
        {keepCredentials && (
          <small id="credentials-help">
            Stored credentials are never shown. Leave these empty to keep them; to replace them, enter the complete set.
            {endpoints.length > 0 && ` Changing ${endpoints.join(', ')} needs them again: they are only sent where they were entered for.`}
          </small>
        )}
        <SchemaFields schema={replacing ? credentialSchema : { ...credentialSchema, required: [] }} idPrefix="credentials"
          values={values.credentials} errors={credentialErrors} onChange={(credentials) => set({ credentials })} />
        {credentialErrors['']?.length ? <p id="credentials-error" className="field-error">{credentialErrors[''].join('; ')}</p> : null}
      </fieldset>
      <details open={keepCredentials || undefined}>
        <summary>Settings</summary>
        <SchemaFields schema={settingsSchema} idPrefix="settings" values={values.settings}
          errors={fieldMessages(error, 'body.settings')} onChange={(settings) => set({ settings })} />
      </details>
    </>
  );
}
