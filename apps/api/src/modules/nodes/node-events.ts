import type { NodeRow } from '../../db/entities/index.js';
import type { OvermindEvent } from '../events/event-bus.js';

export function nodeEvent(node: Pick<NodeRow, 'id' | 'providerId' | 'state' | 'publicIps' | 'privateIps' | 'name' | 'destroyedAt' | 'decommissionedAt'>): OvermindEvent {
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
