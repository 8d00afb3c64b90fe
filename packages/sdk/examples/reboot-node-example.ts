import { createOvermindClient, OvermindApiError } from '../src/index.js';

/** Log in, list running nodes, reboot the first one and wait for its job (docs/sdk.md runs this). */
export async function rebootFirstRunningNode(baseUrl: string, username: string, password: string) {
  const overmind = createOvermindClient({ baseUrl });
  await overmind.login(username, password);

  const page = await overmind.listNodes({ state: 'running', sort: 'name', limit: 10 });
  const node = page.items[0];
  if (!node) throw new Error('no running node to reboot');

  try {
    const job = await overmind.rebootNode(node.id);
    const finished = await overmind.waitForJob(job.id, { timeoutMs: 60_000 });
    return { node, job: finished };
  } catch (err) {
    // Every API failure carries the problem+json: quote the request id when reporting it.
    if (err instanceof OvermindApiError) throw new Error(`${err.status} ${err.detail} (request ${err.requestId})`);
    throw err;
  }
}
