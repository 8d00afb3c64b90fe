import { ActionIcon, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { LazyTooltip } from '../lazy-tooltip.js';

/** Light or dark: starts from the system's, and the person's pick is remembered in this browser. */
export function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light', { getInitialValueInEffect: true });
  const next = scheme === 'dark' ? 'light' : 'dark';
  const label = `Switch to ${next} theme`;
  return (
    <LazyTooltip label={label}>
      <ActionIcon variant="default" size="lg" aria-label={label} onClick={() => setColorScheme(next)}>
        <span aria-hidden="true">{scheme === 'dark' ? '☀' : '☾'}</span>
      </ActionIcon>
    </LazyTooltip>
  );
}
