import { Tooltip } from '@mantine/core';
import { cloneElement, useState, type PointerEvent, type ReactElement } from 'react';

type Hoverable = ReactElement<{ onPointerEnter?: (e: PointerEvent) => void; onPointerLeave?: (e: PointerEvent) => void }>;

/**
 * A Mantine tooltip made the first time the pointer is on its element: a tooltip (floating-ui's positioning and
 * delay group) costs its render whether or not anyone hovers, and a page of 50 rows or the header on every page
 * would pay that at load. The element should carry the text for assistive technology itself (aria-label, title).
 */
export function LazyTooltip({ label, children }: { label: string; children: Hoverable }) {
  // Null until first hovered: then whether the pointer is on it.
  const [hovered, setHovered] = useState<boolean | null>(null);
  const target = cloneElement(children, { onPointerEnter: () => setHovered(true), onPointerLeave: () => setHovered(false) });
  return hovered === null ? target : <Tooltip label={label} opened={hovered}>{target}</Tooltip>;
}
