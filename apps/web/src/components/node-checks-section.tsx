import type { CheckResult } from '@overmind/sdk';
import { useState } from 'react';
import { useCheckHistory, useNodeChecks } from '../api/check-queries.js';
import { ErrorNotice } from './error-notice.js';
import { HealthBadge } from './node-readings.js';
import { Pager } from './pager.js';
import { RelativeTime } from './relative-time.js';
import { StateBadge } from './state-badge.js';
import { TableScroll } from './table-scroll.js';

/** `'free space'=12GB;;;0;40` as an operator reads it: label = value unit, then thresholds if any. */
function Perfdata({ items }: { items: CheckResult['perfdata'] }) {
  if (items.length === 0) return null;
  return (
    <ul className="perfdata">
      {items.map((p, i) => (
        <li key={`${p.label}-${i}`}>
          {p.label} = {p.value === null ? 'U' : `${p.value}${p.uom}`}
          {(p.warn || p.crit) && <span className="muted"> (warn {p.warn ?? '—'}, crit {p.crit ?? '—'})</span>}
        </li>
      ))}
    </ul>
  );
}

function CheckHistory({ nodeId }: { nodeId: string }) {
  const [page, setPage] = useState(1);
  const history = useCheckHistory(nodeId, page);
  return (
    <>
      <ErrorNotice error={history.error} />
      {history.data && history.data.total > 0 && (
        <>
          <TableScroll>
            <table aria-labelledby="check-history-title" aria-busy={history.isFetching}>
              <caption id="check-history-title">State changes</caption>
              <thead><tr><th scope="col">When</th><th scope="col">Check</th><th scope="col">State</th><th scope="col">Status</th></tr></thead>
              <tbody>
                {history.data.items.map((c) => (
                  <tr key={c.id}>
                    <td><RelativeTime at={c.at} /></td>
                    <td>{c.name}</td>
                    <td>{c.previousState && <><StateBadge state={c.previousState} /> → </>}<StateBadge state={c.state} /></td>
                    <td className="long-value">{c.output}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <Pager page={history.data.page} limit={history.data.limit} total={history.data.total} onPage={setPage} />
        </>
      )}
    </>
  );
}

/** The node's health, the checks that apply to it with their latest results, and their state history. */
export function NodeChecksSection({ nodeId }: { nodeId: string }) {
  const checks = useNodeChecks(nodeId);
  return (
    <section aria-labelledby="checks-title">
      <h2 id="checks-title">Checks {checks.data?.health && <HealthBadge health={checks.data.health} />}</h2>
      <ErrorNotice error={checks.error} />
      {checks.data && checks.data.items.length === 0 && <p className="muted">No checks apply to this node.</p>}
      {checks.data && checks.data.items.length > 0 && (
        <TableScroll>
          <table aria-label="Checks">
            <thead><tr><th scope="col">Check</th><th scope="col">State</th><th scope="col">Status</th><th scope="col">Performance data</th><th scope="col">Checked</th></tr></thead>
            <tbody>
              {checks.data.items.map((c) => (
                <tr key={c.checkId} data-check-id={c.checkId}>
                  <td>{c.name}</td>
                  <td>{c.result ? <StateBadge state={c.result.state} /> : <span className="muted">pending</span>}</td>
                  <td className="long-value">
                    {c.result?.output}
                    {c.result?.longOutput && <details><summary>More</summary><pre className="long-output">{c.result.longOutput}</pre></details>}
                  </td>
                  <td>{c.result && <Perfdata items={c.result.perfdata} />}</td>
                  <td>{c.result ? <><RelativeTime at={c.result.checkedAt} /> <span className="muted">({c.result.durationMs} ms)</span></> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <CheckHistory nodeId={nodeId} />
    </section>
  );
}
