import { useNavigate } from 'react-router';
import { useInstallAgent } from '../api/agent-queries.js';
import { ConfirmButton } from './confirm-button.js';
import { ErrorNotice } from './error-notice.js';

/**
 * Installs the agent over SSH (a registered server's login, or a server role node's key), or upgrades
 * the one there in place; opens the job. A node Overmind cannot reach over SSH answers 409, shown here.
 */
export function AgentInstallButton({ node, upgrade }: { node: { id: string; name: string }; upgrade: boolean }) {
  const navigate = useNavigate();
  const install = useInstallAgent();
  const label = upgrade ? 'Upgrade agent' : 'Install agent over SSH';
  return (
    <div className="actions">
      <ConfirmButton
        label={label}
        disabled={install.isPending}
        question={<>{upgrade ? 'Upgrade the agent on' : 'Install the agent on'} <strong>{node.name}</strong> over SSH?</>}
        onConfirm={() => install.mutate(node.id, { onSuccess: (job) => void navigate(`/jobs/${job.id}`) })}
      />
      <ErrorNotice error={install.error} />
    </div>
  );
}
