import type { ConstellationPlan } from '@overmind/sdk';
import { Link, useNavigate, useParams } from 'react-router';
import { useApplyConstellation, useConstellation, usePlanConstellation } from '../api/constellation-queries.js';
import { hasRole } from '../api/session-store.js';
import { ConstellationGuaranteeSection } from '../components/constellation-guarantee-section.js';
import { ErrorNotice } from '../components/error-notice.js';
import { MemberState } from '../components/balancer-table.js';
import { StateBadge } from '../components/state-badge.js';
import { CloneForm, DestroyForm, ScaleForm } from './constellation-forms.js';
import { useSession } from '../session-context.js';
import { TableScroll } from '../components/table-scroll.js';

/** The plan as a diff: one line per step, `+` create, `~` configure, `±` replace, `-` destroy, `>` into its balancer. */
const MARK: Record<ConstellationPlan['steps'][number]['action'], string> = { create: '+', configure: '~', replace: '±', destroy: '-', attach: '>' };

/** A tier's balancer change in words: made, kept or destroyed, and the members it gains and loses. */
function balancerLine(b: ConstellationPlan['balancers'][number]): string {
  const verb = b.action === 'create' ? 'to create' : b.action === 'destroy' ? 'to destroy' : b.action === 'update' ? `to update (${b.changes.join('; ')})` : 'kept';
  const moves = [b.attach.length > 0 && `+ ${b.attach.join(', ')} once healthy`, b.detach.length > 0 && `- ${b.detach.join(', ')} drained first`].filter(Boolean).join('; ');
  return `Balancer ${b.name} (${b.protocol} :${b.port}) of ${b.tier}, ${verb}: ${b.members.join(', ') || 'no members'}${moves ? ` (${moves})` : ''}`;
}

function PlanDiff({ plan }: { plan: ConstellationPlan }) {
  const { summary } = plan;
  return (
    <div className="plan">
      <p>
        Version {plan.version}: {summary.create} to create, {summary.configure} to configure, {summary.replace} to replace, {summary.destroy} to destroy, {summary.attach} to add to a balancer, {summary.unchanged} unchanged.
      </p>
      {plan.steps.length > 0 && (
        <pre className="plan-diff" aria-label="Plan">
          {plan.steps.map((s) => `${MARK[s.action]} ${s.key.padEnd(12)} ${s.action.padEnd(9)} ${s.reasons.join('; ')}`).join('\n')}
        </pre>
      )}
      {plan.balancers.length > 0 && (
        <ul aria-label="Balancer changes">
          {plan.balancers.map((b) => <li key={b.tier}>{balancerLine(b)}</li>)}
        </ul>
      )}
    </div>
  );
}

export function ConstellationDetailPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const navigate = useNavigate();
  const constellation = useConstellation(id);
  const plan = usePlanConstellation(id);
  const apply = useApplyConstellation(id);
  const c = constellation.data;
  return (
    <section>
      <h1>{c?.name ?? 'Constellation'}</h1>
      <ErrorNotice error={constellation.error ?? plan.error ?? apply.error} />
      {c && (
        <>
          <p>
            Spec version {c.latestVersion}; applied {c.appliedVersion ?? 'never'}
            {c.lastJobId && <> (last job <Link to={`/jobs/${c.lastJobId}`}>{c.lastJobId.slice(0, 8)}</Link>)</>}
            {c.destroyedAt && <> — destroyed {new Date(c.destroyedAt).toLocaleString()}</>}
          </p>
          {c.tiers.map((tier) => (
            <div key={tier.name}>
              <h2>{tier.name} ({tier.members.length} of {tier.count})</h2>
              <TableScroll>
                <table aria-label={`Tier ${tier.name}`}>
                  <thead><tr><th scope="col">Key</th><th scope="col">Node</th><th scope="col">State</th><th scope="col">Health</th><th scope="col">Private</th><th scope="col">Public</th></tr></thead>
                  <tbody>
                    {tier.members.map((m) => (
                      <tr key={m.key}>
                        <td>{m.key}</td>
                        <td><Link to={`/nodes/${m.nodeId}`}>{m.nodeName}</Link></td>
                        <td><StateBadge state={m.state} /></td>
                        <td>{m.health ?? '—'}</td>
                        <td>{m.privateIps.join(', ')}</td>
                        <td>{m.publicIps.join(', ')}</td>
                      </tr>
                    ))}
                    {tier.members.length === 0 && <tr><td colSpan={6}>No members.</td></tr>}
                  </tbody>
                </table>
              </TableScroll>
              {tier.balancer && (
                <div aria-label={`Balancer of ${tier.name}`}>
                  Balancer <Link to={`/balancers?constellation=${c.id}`}>{tier.balancer.name}</Link> ({tier.balancer.protocol} {tier.balancer.address ?? '…'}:{tier.balancer.port}) <StateBadge state={tier.balancer.state} />
                  {tier.balancer.members.map((m) => <span key={m.nodeId}> {m.key ?? m.nodeId.slice(0, 8)} <MemberState state={m.state} /></span>)}
                </div>
              )}
            </div>
          ))}
          {!c.destroyedAt && (
            <p>
              <button type="button" onClick={() => plan.mutate()} disabled={plan.isPending}>Plan</button>{' '}
              {hasRole(session, 'operator') && plan.data && plan.data.steps.length > 0 && (
                <button type="button" disabled={apply.isPending} onClick={() => apply.mutate(undefined, { onSuccess: (job) => navigate(`/jobs/${job.id}`) })}>
                  Apply
                </button>
              )}
            </p>
          )}
          {plan.data && <PlanDiff plan={plan.data} />}
          {!c.destroyedAt && <ConstellationGuaranteeSection constellationId={c.id} />}
          {!c.destroyedAt && hasRole(session, 'operator') && (
            <>
              <ScaleForm key={`scale-${c.latestVersion}`} constellation={c} />
              <CloneForm constellation={c} />
              <DestroyForm constellation={c} />
            </>
          )}
        </>
      )}
    </section>
  );
}
