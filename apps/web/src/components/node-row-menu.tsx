import { ActionIcon, Menu } from '@mantine/core';
import type { Node } from '@overmind/sdk';
import { useNavigate } from 'react-router';

/** A row's actions menu: the node's page (power actions are there, each confirmed), its jobs, its graphs. */
export function NodeRowMenu({ node }: { node: Pick<Node, 'id' | 'name'> }) {
  const navigate = useNavigate();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${node.name}`}><span aria-hidden="true">⋯</span></ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => navigate(`/nodes/${node.id}`)}>Open (power actions)</Menu.Item>
        <Menu.Item onClick={() => navigate(`/jobs?target=${node.id}`)}>Its jobs</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
