import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/spotlight/styles.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createQueryClient } from './api/query-client.js';
import { App } from './app.js';
import { DesignProvider } from './design/design-provider.js';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DesignProvider>
      <App queryClient={createQueryClient()} />
    </DesignProvider>
  </StrictMode>,
);
