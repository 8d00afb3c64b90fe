import type { CSSProperties } from 'react';

/**
 * As many columns of at least 340 px as fit, one on a phone. A style object (set through the DOM, which
 * the Content-Security-Policy allows) rather than Mantine's responsive props, whose media queries are
 * inline <style> elements the policy refuses.
 */
export const AUTO_GRID: CSSProperties = { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(340px, 100%), 1fr))', gap: 'var(--mantine-spacing-sm)' };
