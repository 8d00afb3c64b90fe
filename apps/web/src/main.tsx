import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/spotlight/styles.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createQueryClient } from './api/query-client.js';
import { App, LANDING_PAGES } from './app.js';
import { DesignProvider } from './design/design-provider.js';
import { preloadPage } from './preload.js';

const queryClient = createQueryClient();
preloadPage(window.location, queryClient, LANDING_PAGES);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DesignProvider>
      <App queryClient={queryClient} />
    </DesignProvider>
  </StrictMode>,
);
