import { EntitySchema } from 'typeorm';

export const CHECK_SCOPE_KINDS = ['role', 'tag', 'node'] as const;
export type CheckScopeKind = (typeof CHECK_SCOPE_KINDS)[number];

/** A Nagios-style check: a command the agents of the nodes in its scope run on an interval. */
export interface CheckRow {
  id: string;
  name: string;
  /** A program (absolute path or a name on the agent's PATH), or with `shell` a shell command. */
  command: string;
  args: string[];
  shell: boolean;
  intervalSeconds: number;
  timeoutSeconds: number;
  /** Which nodes run it: those of a server role, those with a tag, or one node. */
  scopeKind: CheckScopeKind;
  scopeRoleId: string | null;
  scopeTag: string | null;
  scopeNodeId: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const CheckEntity = new EntitySchema<CheckRow>({
  name: 'Check',
  tableName: 'checks',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    name: { type: 'text' },
    command: { type: 'text' },
    args: { type: 'text', array: true },
    shell: { type: 'boolean' },
    intervalSeconds: { type: 'integer', name: 'interval_seconds' },
    timeoutSeconds: { type: 'integer', name: 'timeout_seconds' },
    scopeKind: { type: 'text', name: 'scope_kind' },
    scopeRoleId: { type: 'uuid', name: 'scope_role_id', nullable: true },
    scopeTag: { type: 'text', name: 'scope_tag', nullable: true },
    scopeNodeId: { type: 'uuid', name: 'scope_node_id', nullable: true },
    createdBy: { type: 'uuid', name: 'created_by', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    updatedAt: { type: 'timestamptz', name: 'updated_at', updateDate: true },
  },
});
