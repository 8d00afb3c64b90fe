import { useElementSize, useMergedRef } from '@mantine/hooks';
import { useLayoutEffect, useState, type HTMLAttributes } from 'react';

/**
 * A box a wide table scrolls in, not the page. While the table overflows it, the box is a named region in the tab
 * order, so keyboard users can scroll it too (arrow keys once focused); otherwise it is a plain box, no extra stop.
 */
export function TableScroll({ label = 'Scrollable table', children, ...rest }: HTMLAttributes<HTMLDivElement> & { label?: string }) {
  const { ref: sizeRef, width } = useElementSize<HTMLDivElement>();
  const [box, setBox] = useState<HTMLDivElement | null>(null);
  const ref = useMergedRef(sizeRef, setBox);
  const [overflows, setOverflows] = useState(false);
  useLayoutEffect(() => {
    if (box) setOverflows(box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1);
  }, [box, width, children]);
  const focusable = overflows ? { tabIndex: 0, role: 'region', 'aria-label': label } : {};
  return <div ref={ref} className="table-scroll" {...focusable} {...rest}>{children}</div>;
}
