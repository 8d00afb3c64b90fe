import { useLayoutEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A page's filters in the URL, updated by a patch (empty values removed, back to page 1 unless the patch
 * names the page). React Router's setter starts from the params of the last render, and its navigation
 * renders in a transition: two fields changed before that render (a filter cleared, another typed) would
 * each start from the old URL and the second would bring the first back. Each patch starts from the
 * newest params instead: the ones this hook last set, until the URL changes by other means (Back, a link).
 * That is judged after a commit, never during a render: a render with the old URL (any urgent update while
 * the navigation's transition is pending or suspended) is not a change of URL.
 */
export function useUrlFilters(): [URLSearchParams, (patch: Record<string, string>) => void] {
  const [params, setParams] = useSearchParams();
  const rendered = params.toString();
  const latest = useRef(params);
  const ours = useRef(new Set<string>());
  useLayoutEffect(() => {
    // The committed URL changed: to one this hook set (its own navigation landing), or by other means.
    if (!ours.current.has(rendered)) latest.current = new URLSearchParams(rendered);
    if (latest.current.toString() === rendered) ours.current.clear();
  }, [rendered]);
  const update = (patch: Record<string, string>) => {
    const next = new URLSearchParams(latest.current);
    for (const [k, v] of Object.entries(patch)) (v ? next.set(k, v) : next.delete(k));
    if (!('page' in patch)) next.delete('page');
    latest.current = next;
    ours.current.add(next.toString());
    setParams(next, { replace: true });
  };
  return [params, update];
}
