import { useState, type ReactNode } from 'react';

/** A button that asks once more inline before doing something that cannot be undone. */
export function ConfirmButton(props: { label: string; question: ReactNode; onConfirm: () => void; disabled?: boolean; danger?: boolean }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className={props.danger ? 'danger' : undefined} disabled={props.disabled} onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <span role="group" aria-label={`Confirm ${props.label}`} className="confirm">
      {props.question}{' '}
      <button type="button" className={props.danger ? 'danger' : 'primary'} autoFocus onClick={() => { setAsking(false); props.onConfirm(); }}>
        Yes, {props.label.toLowerCase()}
      </button>{' '}
      <button type="button" onClick={() => setAsking(false)}>Cancel</button>
    </span>
  );
}
