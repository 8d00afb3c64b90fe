import { Alert, Button, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorBoundary, type FallbackProps } from 'react-error-boundary';
import { useLocation } from 'react-router';

/** A page's code that could not be fetched: after an upgrade (its file renamed) or a dropped connection. */
function isChunkLoadError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /dynamically imported module|Importing a module script failed|error loading dynamically imported module/i.test(message);
}

function PageFailed({ error, resetErrorBoundary }: FallbackProps) {
  const chunk = isChunkLoadError(error);
  return (
    <Alert color="red" title="This page could not be shown" role="alert" maw="40rem" mt="md">
      <Text size="sm">
        {chunk
          ? 'Its code could not be loaded: the connection dropped, or Overmind was upgraded since this tab opened. Reloading fetches the current console.'
          : `It failed while drawing: ${error instanceof Error ? error.message : String(error)}`}
      </Text>
      <Group mt="sm" gap="xs">
        <Button size="xs" onClick={() => window.location.reload()}>Reload</Button>
        {!chunk && <Button size="xs" variant="default" onClick={resetErrorBoundary}>Try again</Button>}
      </Group>
    </Alert>
  );
}

/**
 * Keeps a failing page inside the frame: the header, sidebar and breadcrumbs stay, the page says what failed
 * and offers a reload. Going to another page clears it. Without it one page's error blanks the whole console.
 */
export function PageErrorBoundary({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  return <ErrorBoundary FallbackComponent={PageFailed} resetKeys={[pathname]}>{children}</ErrorBoundary>;
}
