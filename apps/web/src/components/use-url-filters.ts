import { useRef } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A page's filters in the URL, updated by a patch (empty values removed, back to page 1 unless the patch
 * names the page). React Router's setter starts from the params of the last render, and its navigation
 * renders in a transition: two fields changed before that render (a filter cleared, another typed) would
 * each start from the old URL and the second would bring the first back. Each patch starts from the
 * newest params instead: the ones this hook last set, until the URL changes by other means (Back, a link).
 */
export function useUrlFilters(): [URLSearchParams, (patch: Record<string, string>) => void] {
  const [params, setParams] = useSearchParams();
  const rendered = params.toString();
  const seen = useRef(rendered);
  const latest = useRef(params);
  if (seen.current !== rendered) {
    seen.current = rendered;
    latest.current = params;
  }
  const update = (patch: Record<string, string>) => {
    const next = new URLSearchParams(latest.current);
    for (const [k, v] of Object.entries(patch)) (v ? next.set(k, v) : next.delete(k));
    if (!('page' in patch)) next.delete('page');
    latest.current = next;
    setParams(next, { replace: true });
  };
  return [params, update];
}
