import { useState } from 'react';

/** Copies `text` to the clipboard and says so; where the browser offers no clipboard, says to select it. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [said, setSaid] = useState('');
  const copy = () => {
    if (!navigator.clipboard) return setSaid('Select the text to copy it.');
    navigator.clipboard.writeText(text).then(() => setSaid('Copied.'), () => setSaid('Could not copy: select the text to copy it.'));
  };
  return (
    <>
      <button type="button" onClick={copy}>{label}</button>
      {said && <span role="status"> {said}</span>}
    </>
  );
}
