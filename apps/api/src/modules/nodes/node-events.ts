import type { NodeRow } from '../../db/entities/index.js';
import type { OvermindEvent } from '../events/event-bus.js';

export type NodeEventRow = Pick<NodeRow, 'id' | 'providerId' | 'state' | 'publicIps' | 'privateIps' | 'name' | 'destroyedAt' | 'decommissionedAt'>;

export function nodeEvent(node: NodeEventRow): OvermindEvent {
  return {
    type: 'node',
    id: node.id,
    providerId: node.providerId,
    name: node.name,
    state: node.state,
    publicIps: node.publicIps,
    privateIps: node.privateIps,
    gone: Boolean(node.destroyedAt ?? node.decommissionedAt),
  };
}
