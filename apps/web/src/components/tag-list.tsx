/** A node's tags as small chips; past `max`, the rest are counted and named in a tooltip. */
export function TagList({ tags, max = Infinity }: { tags: string[]; max?: number }) {
  if (tags.length === 0) return <span className="muted">—</span>;
  const shown = tags.slice(0, max);
  const rest = tags.slice(max);
  return (
    <ul className="tags" aria-label="Tags">
      {shown.map((t) => <li key={t} className="tag">{t}</li>)}
      {rest.length > 0 && <li className="tag-more" title={rest.join(', ')}>+{rest.length} more</li>}
    </ul>
  );
}
