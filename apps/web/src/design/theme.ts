import { createTheme, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';

// The console's accent: filled with white text at shade 7 (light) and 8 (dark), both above WCAG AA contrast.
const overmind: MantineColorsTuple = ['#e8f0fe', '#d2e3fc', '#aecbfa', '#8ab4f8', '#669df6', '#4285f4', '#1a73e8', '#0b57d0', '#0842a0', '#062e6f'];

/** The one Mantine theme for the console: dense defaults (operators read many rows), system font, blue accent. */
export const theme = createTheme({
  primaryColor: 'overmind',
  primaryShade: { light: 7, dark: 8 },
  colors: { overmind },
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace',
  defaultRadius: 'sm',
  // Filled badges and buttons pick black or white text from their background, for contrast in both schemes.
  autoContrast: true,
  components: {
    Table: { defaultProps: { verticalSpacing: 6, horizontalSpacing: 'sm', highlightOnHover: true } },
    Button: { defaultProps: { size: 'sm' } },
    Badge: { defaultProps: { variant: 'light', radius: 'sm' } },
    Tooltip: { defaultProps: { openDelay: 300, withArrow: true } },
  },
});

/**
 * Mantine's dimmed text (gray 6 on white, dark 2 on dark) is under the 4.5:1 contrast WCAG AA asks of small text;
 * the console uses one shade stronger in each scheme (the browser test runs axe's contrast rule on every page).
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: { '--mantine-color-dimmed': t.colors.gray[7]! },
  dark: { '--mantine-color-dimmed': t.colors.dark[1]! },
});
