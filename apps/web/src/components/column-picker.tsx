import { Button, Checkbox, Menu } from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';

export interface ColumnChoice<K extends string> {
  shown: (key: K) => boolean;
  picker: React.ReactNode;
}

/**
 * Which optional columns a table shows, picked from a menu and remembered in this browser (`storageKey`).
 * Required columns (the name) are not offered.
 */
export function useColumnChoice<K extends string>(storageKey: string, columns: readonly { key: K; label: string }[]): ColumnChoice<K> {
  const [hidden, setHidden] = useLocalStorage<K[]>({ key: storageKey, defaultValue: [], getInitialValueInEffect: false });
  const toggle = (key: K) => setHidden((h) => (h.includes(key) ? h.filter((k) => k !== key) : [...h, key]));
  const picker = (
    <Menu closeOnItemClick={false} position="bottom-end" withinPortal>
      <Menu.Target><Button variant="default" size="xs">Columns</Button></Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Show columns</Menu.Label>
        {columns.map((c) => (
          <Menu.Item key={c.key} onClick={() => toggle(c.key)} role="menuitemcheckbox" aria-checked={!hidden.includes(c.key)}>
            <Checkbox checked={!hidden.includes(c.key)} label={c.label} readOnly tabIndex={-1} aria-hidden="true" size="xs" />
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
  return { shown: (key) => !hidden.includes(key), picker };
}
