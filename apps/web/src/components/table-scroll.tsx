import { useEffect, useRef, useState, type HTMLAttributes } from 'react';

/**
 * A box a wide table scrolls in, not the page. While the table overflows it, the box is a named region in the tab
 * order, so keyboard users can scroll it too (arrow keys once focused); otherwise it is a plain box, no extra stop.
 *
 * Whether it overflows is read when the box or its table changes size (a ResizeObserver runs after layout), never
 * during a render: reading scroll sizes then forces the browser to lay the whole table out at that moment, once per
 * render, which on a page of 50 rows was the largest part of its first load.
 */
export function TableScroll({ label = 'Scrollable table', children, ...rest }: HTMLAttributes<HTMLDivElement> & { label?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    const check = () => setOverflows(box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1);
    const observer = new ResizeObserver(check);
    const observeAll = () => {
      observer.disconnect();
      observer.observe(box);
      for (const child of box.children) observer.observe(child);
    };
    observeAll();
    // A table replaced by another element (an empty state, a different page) is observed in its place.
    const children = new MutationObserver(observeAll);
    children.observe(box, { childList: true });
    return () => {
      observer.disconnect();
      children.disconnect();
    };
  }, []);
  const focusable = overflows ? { tabIndex: 0, role: 'region', 'aria-label': label } : {};
  return <div ref={ref} className="table-scroll" {...focusable} {...rest}>{children}</div>;
}
