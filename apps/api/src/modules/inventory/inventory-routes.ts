import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors } from '../../lib/schemas.js';

const AnsibleInventorySchema = Type.Object(
  {
    _meta: Type.Object({ hostvars: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown())) }),
  },
  {
    title: 'AnsibleInventory',
    additionalProperties: Type.Object({
      hosts: Type.Optional(Type.Array(Type.String())),
      children: Type.Optional(Type.Array(Type.String())),
    }),
  },
);

export const inventoryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/inventory/ansible', {
    config: { access: 'observer' },
    schema: {
      tags: ['inventory'],
      operationId: 'getAnsibleInventory',
      summary: "Every live node in Ansible's dynamic inventory JSON (what an inventory script prints for --list)",
      description:
        'Groups: `provider_<name>`, `state_<state>`, `tag_<tag>`, `role_<server role>` (characters other than letters, digits ' +
        'and `_` become `_`). Host names are node names (a name several providers share gets `-<first 8 of the id>`). ' +
        '`_meta.hostvars` carries `ansible_host` (the first public address, else the first private one) and `overmind_*` ' +
        'variables: id, provider, state, health, tags, server role, addresses and the facts. See docs/ansible.md.',
      response: { 200: AnsibleInventorySchema, ...errors() },
    },
  }, async (_request, reply) => {
    const text = await app.services.inventory.render();
    return reply.type('application/json; charset=utf-8').send(text as never);
  });
};
