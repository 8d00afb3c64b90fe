import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { lazy } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { Layout } from './components/layout.js';
import { RequireRole } from './components/require-role.js';
import { DashboardPage } from './pages/dashboard-page.js';
import { JobDetailPage } from './pages/job-detail-page.js';
import { JobsPage } from './pages/jobs-page.js';
import { LoginPage } from './pages/login-page.js';
import { NodeCreatePage } from './pages/node-create-page.js';
import { NodeDetailPage } from './pages/node-detail-page.js';
import { NodesPage } from './pages/nodes-page.js';
import { ProviderDetailPage } from './pages/provider-detail-page.js';
import { ProvidersPage } from './pages/providers-page.js';

// Admin pages are few users' pages: kept out of the initial bundle.
const UsersPage = lazy(() => import('./pages/admin/users-page.js').then((m) => ({ default: m.UsersPage })));
const TokensPage = lazy(() => import('./pages/admin/tokens-page.js').then((m) => ({ default: m.TokensPage })));
const AuditPage = lazy(() => import('./pages/admin/audit-page.js').then((m) => ({ default: m.AuditPage })));

export function App({ queryClient }: { queryClient: QueryClient }) {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route element={<Layout />}>
            <Route index element={<DashboardPage />} />
            <Route path="/nodes" element={<NodesPage />} />
            <Route path="/nodes/new" element={<NodeCreatePage />} />
            <Route path="/nodes/:id" element={<NodeDetailPage />} />
            <Route path="/providers" element={<ProvidersPage />} />
            <Route path="/providers/:id" element={<ProviderDetailPage />} />
            <Route path="/jobs" element={<JobsPage />} />
            <Route path="/jobs/:id" element={<JobDetailPage />} />
            <Route element={<RequireRole role="admin" />}>
              <Route path="/admin/users" element={<UsersPage />} />
              <Route path="/admin/tokens" element={<TokensPage />} />
              <Route path="/admin/audit" element={<AuditPage />} />
            </Route>
            <Route path="*" element={<p>Nothing here. <a href="/nodes">Go to nodes</a>.</p>} />
          </Route>
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
