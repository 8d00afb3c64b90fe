import type { ReactElement } from 'react';
import { cloneElement } from 'react';

/** A labelled input with its help and its problem+json messages, wired up by id for screen readers. */
export function FormField(props: { id: string; label: string; errors?: string[]; help?: string; children: ReactElement<Record<string, unknown>> }) {
  const { id, label, errors = [], help } = props;
  const describedBy = [help ? `${id}-help` : '', errors.length ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {cloneElement(props.children, { id, 'aria-invalid': errors.length > 0 || undefined, 'aria-describedby': describedBy })}
      {help && <small id={`${id}-help`}>{help}</small>}
      {errors.length > 0 && <small id={`${id}-error`} className="field-error">{errors.join('; ')}</small>}
    </div>
  );
}
