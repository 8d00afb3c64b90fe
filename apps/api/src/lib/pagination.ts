import { Type, type TSchema } from 'typebox';

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;
/** Deeper than any real list is paged; without a bound, `page=1e300` reached the database as an offset. */
export const MAX_PAGE = 1_000_000;

export const PageQuery = {
  page: Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1, description: `Page number, from 1 (at most ${MAX_PAGE})` }),
  limit: Type.Integer({
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: DEFAULT_PAGE_SIZE,
    description: `Items per page (at most ${MAX_PAGE_SIZE})`,
  }),
  order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'asc' }),
};

export interface PageRequest {
  page: number;
  limit: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  limit: number;
  total: number;
}

export function PageOf<T extends TSchema>(item: T, name: string) {
  return Type.Object(
    {
      items: Type.Array(item),
      page: Type.Integer(),
      limit: Type.Integer(),
      total: Type.Integer({ description: 'Items matching the filter, over all pages' }),
    },
    { title: `${name}Page` },
  );
}

export function offset(p: PageRequest): number {
  return (p.page - 1) * p.limit;
}

/** Escapes LIKE wildcards so a search for `50%` matches literally. */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
