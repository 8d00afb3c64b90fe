import { Table } from '@mantine/core';
import type { ComponentProps } from 'react';

const withClass = (base: string, className: string | undefined) => (className ? `${base} ${className}` : base);

/**
 * A body row of a striped table (row borders and highlight on hover, the theme's defaults) and its cells, as plain
 * elements wearing Mantine's Table classes and data attributes: they look like Table.Tr and Table.Td without a
 * Mantine component each (props, theme and styles resolved per cell). For big pages: the node list shows 50 rows
 * of 13 cells.
 */
export function StripedRow({ className, ...props }: ComponentProps<'tr'>) {
  return <tr className={withClass(Table.classes.tr!, className)} data-striped="odd" data-with-row-border data-hover {...props} />;
}

export function Cell({ className, ...props }: ComponentProps<'td'>) {
  return <td className={withClass(Table.classes.td!, className)} {...props} />;
}
