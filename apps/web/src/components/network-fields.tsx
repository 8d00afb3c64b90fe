import { FormField } from './form-field.js';

interface NetworkItem {
  id: string;
  name: string;
  data: { external?: boolean; extra?: { subnets?: { cidr?: string | null }[] } };
}

/** What the create form chose: networks (none picked: the provider's default) or none, and a floating IP or the default. */
export interface NetworkChoice {
  ids: string[];
  none: boolean;
  floatingIp: '' | 'yes' | 'no';
}

export const NO_NETWORK_CHOICE: NetworkChoice = { ids: [], none: false, floatingIp: '' };

/** The create request's `networkIds` and `floatingIp`, leaving out what the provider decides. */
export function networkBody(choice: NetworkChoice): { networkIds?: string[] | 'none'; floatingIp?: boolean } {
  return {
    ...(choice.none ? { networkIds: 'none' as const } : choice.ids.length ? { networkIds: choice.ids } : {}),
    ...(choice.floatingIp ? { floatingIp: choice.floatingIp === 'yes' } : {}),
  };
}

const label = (n: NetworkItem) => {
  const cidrs = (n.data.extra?.subnets ?? []).map((s) => s.cidr).filter(Boolean);
  return cidrs.length ? `${n.name} — ${cidrs.join(', ')}` : n.name;
};

/** Networks to attach and a floating IP, for providers that list networks; nothing for the others. */
export function NetworkFields(props: { networks: NetworkItem[]; value: NetworkChoice; onChange: (v: NetworkChoice) => void; errors?: string[] | undefined }) {
  const { networks, value, onChange } = props;
  const attachable = networks.filter((n) => !n.data.external);
  const external = networks.some((n) => n.data.external);
  if (networks.length === 0) return null;
  return (
    <>
      <FormField id="node-networks" label="Networks" errors={props.errors} help="None selected: the provider's default. Ctrl/⌘-click selects several.">
        <select
          multiple
          disabled={value.none}
          value={value.ids}
          onChange={(e) => onChange({ ...value, ids: [...e.target.selectedOptions].map((o) => o.value) })}
        >
          {attachable.map((n) => <option key={n.id} value={n.id}>{label(n)}</option>)}
        </select>
      </FormField>
      <div className="field">
        <label>
          <input type="checkbox" checked={value.none} onChange={(e) => onChange({ ...value, none: e.target.checked, ids: [] })} /> No network
        </label>
      </div>
      {external && (
        <FormField id="node-floating-ip" label="Floating IP" help="A public address from the external network, released when the node is destroyed">
          <select value={value.floatingIp} onChange={(e) => onChange({ ...value, floatingIp: e.target.value as NetworkChoice['floatingIp'] })}>
            <option value="">provider default</option>
            <option value="yes">yes</option>
            <option value="no">no</option>
          </select>
        </FormField>
      )}
    </>
  );
}
