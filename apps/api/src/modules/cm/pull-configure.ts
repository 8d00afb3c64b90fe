/**
 * Configure through the node's agent (pull mode): the server role becomes a `converge` run carrying
 * the run list, attributes (secret ones sealed in the run's row until offered), the kitchen's archive
 * hash and the role's chef-solo settings; the agent runs the same Chef-solo steps locally.
 */
import type { ConvergeSpec } from '@overmind/agent-protocol';
import type { NodeRow, ServerRoleRow } from '../../db/entities/index.js';
import type { RunRequest } from '../agents/run-service.js';
import type { KitchenArchives } from './kitchen-archives.js';
import { nestSecretAttributes, type SecretAttributes } from './secret-attributes.js';

const DEFAULT_RUN_TIMEOUT_MS = 3_600_000;

export async function convergeRun(
  node: Pick<NodeRow, 'id' | 'name'>,
  role: Pick<ServerRoleRow, 'runList' | 'attributes' | 'environment' | 'cmSettings'>,
  secretAttributes: SecretAttributes,
  archives: Pick<KitchenArchives, 'current'>,
  deadlineSeconds: number,
): Promise<RunRequest> {
  const runTimeoutMs = typeof role.cmSettings.runTimeoutMs === 'number' ? role.cmSettings.runTimeoutMs : DEFAULT_RUN_TIMEOUT_MS;
  const timeoutSeconds = Math.min(86_400, Math.ceil(runTimeoutMs / 1000));
  const spec: ConvergeSpec = {
    nodeName: node.name,
    runList: role.runList,
    attributes: role.attributes,
    secretAttributes: nestSecretAttributes(secretAttributes),
    environment: role.environment,
    kitchen: await archives.current(),
    settings: role.cmSettings,
    timeoutSeconds,
  };
  return { nodeId: node.id, run: { kind: 'converge', spec }, deadline: new Date(Date.now() + Math.max(deadlineSeconds, timeoutSeconds + 300) * 1000) };
}
