export function StateBadge({ state }: { state: string }) {
  return <span className={`badge badge-${state}`} data-state={state}>{state}</span>;
}
