import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { lazy } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { Layout } from './components/layout.js';
import { RequireRole } from './components/require-role.js';
import { LoginPage } from './pages/login-page.js';
import type { PageLoaders } from './preload.js';

// The pages people most often open by URL (bookmarks, links, a reload): `preloadPage` fetches the
// chunk of the one a URL opens while the shell starts.
const load = {
  dashboard: () => import('./pages/dashboard-page.js'),
  nodes: () => import('./pages/nodes-page.js'),
  nodeCreate: () => import('./pages/node-create-page.js'),
  nodeDetail: () => import('./pages/node-detail-page.js'),
  jobs: () => import('./pages/jobs-page.js'),
  jobDetail: () => import('./pages/job-detail-page.js'),
  providers: () => import('./pages/providers-page.js'),
};
export const LANDING_PAGES: PageLoaders = [
  ['/', load.dashboard], ['/nodes', load.nodes], ['/nodes/new', load.nodeCreate], ['/nodes/:id', load.nodeDetail],
  ['/jobs', load.jobs], ['/jobs/:id', load.jobDetail], ['/providers', load.providers],
];

// Every page is its own chunk, loaded when first shown: the initial JavaScript is the shell and the login page
// (the Layout's Suspense shows "Loading…" meanwhile).
const ConstellationDetailPage = lazy(() => import('./pages/constellation-detail-page.js').then((m) => ({ default: m.ConstellationDetailPage })));
const ConstellationsPage = lazy(() => import('./pages/constellations-page.js').then((m) => ({ default: m.ConstellationsPage })));
const DashboardPage = lazy(() => load.dashboard().then((m) => ({ default: m.DashboardPage })));
const JobDetailPage = lazy(() => load.jobDetail().then((m) => ({ default: m.JobDetailPage })));
const JobsPage = lazy(() => load.jobs().then((m) => ({ default: m.JobsPage })));
const NodeCreatePage = lazy(() => load.nodeCreate().then((m) => ({ default: m.NodeCreatePage })));
const NodeDetailPage = lazy(() => load.nodeDetail().then((m) => ({ default: m.NodeDetailPage })));
const NodesPage = lazy(() => load.nodes().then((m) => ({ default: m.NodesPage })));
const ProviderDetailPage = lazy(() => import('./pages/provider-detail-page.js').then((m) => ({ default: m.ProviderDetailPage })));
const ProvidersPage = lazy(() => load.providers().then((m) => ({ default: m.ProvidersPage })));
const AgentsPage = lazy(() => import('./pages/agents-page.js').then((m) => ({ default: m.AgentsPage })));
const AgentDetailPage = lazy(() => import('./pages/agent-detail-page.js').then((m) => ({ default: m.AgentDetailPage })));
const ChecksPage = lazy(() => import('./pages/checks-page.js').then((m) => ({ default: m.ChecksPage })));
const UsersPage = lazy(() => import('./pages/admin/users-page.js').then((m) => ({ default: m.UsersPage })));
const TokensPage = lazy(() => import('./pages/admin/tokens-page.js').then((m) => ({ default: m.TokensPage })));
const AlertsPage = lazy(() => import('./pages/alerts-page.js').then((m) => ({ default: m.AlertsPage })));
const AlertRulesPage = lazy(() => import('./pages/alert-rules-page.js').then((m) => ({ default: m.AlertRulesPage })));
const BalancersPage = lazy(() => import('./pages/balancers-page.js').then((m) => ({ default: m.BalancersPage })));
// Bare-metal and configuration-management pages: operators' tools, loaded when opened.
const ServerRegisterPage = lazy(() => import('./pages/server-register-page.js').then((m) => ({ default: m.ServerRegisterPage })));
const CommandRunnerPage = lazy(() => import('./pages/command-runner-page.js').then((m) => ({ default: m.CommandRunnerPage })));
const KitchenPage = lazy(() => import('./pages/kitchen-page.js').then((m) => ({ default: m.KitchenPage })));
const ServerRolesPage = lazy(() => import('./pages/server-roles-page.js').then((m) => ({ default: m.ServerRolesPage })));
const ServerRolePage = lazy(() => import('./pages/server-role-page.js').then((m) => ({ default: m.ServerRolePage })));
const ServerRoleFormPage = lazy(() => import('./pages/server-role-form-page.js').then((m) => ({ default: m.ServerRoleFormPage })));
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
            <Route path="/constellations" element={<ConstellationsPage />} />
            <Route path="/constellations/:id" element={<ConstellationDetailPage />} />
            <Route path="/jobs" element={<JobsPage />} />
            <Route path="/jobs/:id" element={<JobDetailPage />} />
            {/* Every signed-in role may look (observers see no controls); RequireRole also gives the lazy pages their Suspense. */}
            <Route element={<RequireRole role="observer" />}>
              <Route path="/agents" element={<AgentsPage />} />
              <Route path="/agents/:id" element={<AgentDetailPage />} />
              <Route path="/checks" element={<ChecksPage />} />
              <Route path="/alerts" element={<AlertsPage />} />
              <Route path="/alerts/rules" element={<AlertRulesPage />} />
              <Route path="/balancers" element={<BalancersPage />} />
              <Route path="/configuration/kitchen" element={<KitchenPage />} />
              <Route path="/configuration/roles" element={<ServerRolesPage />} />
              <Route path="/configuration/roles/:id" element={<ServerRolePage />} />
            </Route>
            <Route element={<RequireRole role="operator" />}>
              <Route path="/servers/register" element={<ServerRegisterPage />} />
              <Route path="/commands" element={<CommandRunnerPage />} />
              <Route path="/configuration/roles/new" element={<ServerRoleFormPage />} />
              <Route path="/configuration/roles/:id/edit" element={<ServerRoleFormPage />} />
            </Route>
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
