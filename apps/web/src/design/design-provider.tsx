import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import type { ReactNode } from 'react';
import { cssVariablesResolver, theme } from './theme.js';

// The server stamps each copy of index.html with a nonce its Content-Security-Policy allows for <style> elements;
// Mantine puts it on those it writes (theme variables, responsive layout). Absent under the dev server and in tests.
const styleNonce = typeof document === 'undefined' ? undefined : document.querySelector<HTMLMetaElement>('meta[name="style-nonce"]')?.content;
const getStyleNonce = () => styleNonce ?? '';

/**
 * Mantine's theme and colour scheme (the system's until the person picks one; the pick is kept in localStorage),
 * and the toast area. Shared by the app and the unit-test render helper so tests see what people see.
 */
export function DesignProvider({ children }: { children: ReactNode }) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto" getStyleNonce={getStyleNonce} cssVariablesResolver={cssVariablesResolver}>
      <Notifications position="bottom-right" limit={4} />
      {children}
    </MantineProvider>
  );
}
