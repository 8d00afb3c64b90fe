import { ActionIcon, Menu } from '@mantine/core';
import type { Node } from '@overmind/sdk';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';

/**
 * A row's actions menu: the node's page (power actions are there, each confirmed), its jobs, its graphs. The menu
 * itself is made when first asked for: a page of 50 rows with 50 menus ready in advance rendered noticeably slower.
 */
export function NodeRowMenu({ node }: { node: Pick<Node, 'id' | 'name'> }) {
  const navigate = useNavigate();
  const [made, setMade] = useState(false);
  const [opened, setOpened] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  useLayoutEffect(() => {
    // The menu is made around a new button: focus goes to it if the first one had it.
    if (made && refocus.current) button.current?.focus();
    refocus.current = false;
  }, [made]);
  // Opened once made (not made open), so that the menu notes the button as where focus returns on close.
  useEffect(() => setOpened(made), [made]);
  const trigger = (
    <ActionIcon
      ref={button} variant="subtle" color="gray" aria-label={`Actions for ${node.name}`} aria-haspopup="menu" aria-expanded={opened}
      onClick={made ? undefined : (e) => {
        refocus.current = document.activeElement === e.currentTarget;
        setMade(true);
      }}
    >
      <span aria-hidden="true">⋯</span>
    </ActionIcon>
  );
  if (!made) return trigger;
  return (
    <Menu position="bottom-end" withinPortal returnFocus opened={opened} onChange={setOpened}>
      <Menu.Target>{trigger}</Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => navigate(`/nodes/${node.id}`)}>Open (power actions)</Menu.Item>
        <Menu.Item onClick={() => navigate(`/jobs?target=${node.id}`)}>Its jobs</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
