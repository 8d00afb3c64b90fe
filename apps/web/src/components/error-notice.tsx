import { OvermindApiError } from '@overmind/sdk';

/** The one place an API error is shown: its message and the request id to quote. */
export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  const api = error instanceof OvermindApiError ? error : null;
  const message = api ? api.detail : error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="error-notice">
      <strong>{api ? `${api.title || 'Error'} (${api.status})` : 'Error'}:</strong> {message}
      {api?.requestId && <span className="request-id"> Request id: <code>{api.requestId}</code></span>}
    </div>
  );
}
