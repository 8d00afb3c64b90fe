/** A console page to visit: a name for its screenshot, its path, and a text in <main> that says it has loaded. */
export type ConsolePage = [name: string, path: string, ready: string | RegExp];

/** Every console page, for a node (by name) on a provider (by name) and one of the node's jobs. */
export function consolePages(ids: { nodeId: string; nodeName: string; providerId: string; providerName: string; jobId: string }): ConsolePage[] {
  return [
    ['dashboard', '/', 'Recent jobs'],
    ['nodes', '/nodes', ids.nodeName],
    ['node-detail', `/nodes/${ids.nodeId}`, 'node.create'],
    ['node-create', '/nodes/new', 'Create nodes'],
    ['providers', '/providers', ids.providerName],
    ['provider-detail', `/providers/${ids.providerId}`, 'Sync now'],
    ['constellations', '/constellations', 'Constellations'],
    ['balancers', '/balancers', 'Balancers'],
    ['server-register', '/servers/register', 'Register servers'],
    ['command-runner', '/commands', 'Run a command'],
    ['kitchen', '/configuration/kitchen', 'Chef kitchen'],
    ['server-roles', '/configuration/roles', 'Server roles'],
    ['server-role-new', '/configuration/roles/new', 'New server role'],
    ['jobs', '/jobs', /^Page 1 of/],
    ['job-detail', `/jobs/${ids.jobId}`, /^\d+ lines?$/],
    ['agents', '/agents', 'Join tokens'],
    ['checks', '/checks', 'Checks'],
    ['alerts', '/alerts', 'Alerts'],
    ['alert-rules', '/alerts/rules', 'Alert rules'],
    ['users', '/admin/users', 'Users'],
    ['tokens', '/admin/tokens', 'API tokens'],
    ['audit', '/admin/audit', 'Audit log'],
  ];
}
