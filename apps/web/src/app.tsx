import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { Layout } from './components/layout.js';
import { JobDetailPage } from './pages/job-detail-page.js';
import { JobsPage } from './pages/jobs-page.js';
import { LoginPage } from './pages/login-page.js';
import { NodeDetailPage } from './pages/node-detail-page.js';
import { NodesPage } from './pages/nodes-page.js';
import { ProvidersPage } from './pages/providers-page.js';

export function App({ queryClient }: { queryClient: QueryClient }) {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route element={<Layout />}>
            <Route index element={<Navigate to="/nodes" replace />} />
            <Route path="/nodes" element={<NodesPage />} />
            <Route path="/nodes/:id" element={<NodeDetailPage />} />
            <Route path="/providers" element={<ProvidersPage />} />
            <Route path="/jobs" element={<JobsPage />} />
            <Route path="/jobs/:id" element={<JobDetailPage />} />
            <Route path="*" element={<p>Nothing here. <a href="/nodes">Go to nodes</a>.</p>} />
          </Route>
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
