/**
 * A pasted list or CSV of servers to register, one per line after a header naming the columns. Values
 * here (names, addresses, user names, tags) never hold commas or quotes, so a line is split on commas;
 * secrets are never in the list: the form's shared fields (or the provider's defaults) supply them.
 */
export const SERVER_COLUMNS = ['name', 'address', 'port', 'username', 'host_key', 'bmc_type', 'bmc_address', 'bmc_username', 'tags'] as const;
type Column = (typeof SERVER_COLUMNS)[number];

export interface ServerRow {
  /** 1-based line in the pasted text. */
  line: number;
  name: string;
  registration: Record<string, unknown>;
  tags: string[];
  /** What is wrong with the row; it is not sent. */
  error?: string;
}

export interface SharedSecrets {
  privateKey?: string;
  passphrase?: string;
  password?: string;
  bmcPassword?: string;
}

function rowOf(line: number, values: Partial<Record<Column, string>>, shared: SharedSecrets): ServerRow {
  const name = values.name ?? '';
  const tags = (values.tags ?? '').split(/[\s;]+/).filter(Boolean);
  const fail = (error: string): ServerRow => ({ line, name, registration: {}, tags, error });
  if (!name) return fail('name is missing');
  if (!values.address) return fail('address is missing');
  const port = values.port ? Number(values.port) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) return fail(`port ${values.port} is not 1-65535`);
  const ssh: Record<string, unknown> = {
    ...(port ? { port } : {}),
    ...(values.username ? { username: values.username } : {}),
    ...(values.host_key ? { hostKeyFingerprint: values.host_key } : {}),
    ...(shared.privateKey ? { privateKey: shared.privateKey } : {}),
    ...(shared.passphrase ? { passphrase: shared.passphrase } : {}),
    ...(shared.password ? { password: shared.password } : {}),
  };
  const registration: Record<string, unknown> = { address: values.address, ...(Object.keys(ssh).length ? { ssh } : {}) };
  const bmcType = values.bmc_type?.toLowerCase();
  if (bmcType) {
    if (bmcType !== 'ipmi' && bmcType !== 'redfish') return fail(`bmc_type must be ipmi or redfish, not ${values.bmc_type}`);
    if (!values.bmc_address) return fail('bmc_address is missing (an IPMI address or a Redfish https:// URL)');
    registration.bmc = {
      type: bmcType,
      [bmcType === 'ipmi' ? 'address' : 'url']: values.bmc_address,
      ...(values.bmc_username ? { username: values.bmc_username } : {}),
      ...(shared.bmcPassword ? { password: shared.bmcPassword } : {}),
    };
  }
  return { line, name, registration, tags };
}

/** The rows of the list; a header line is required so columns may come in any order. */
export function parseServerList(text: string, shared: SharedSecrets): { rows: ServerRow[]; error?: string } {
  const lines = text.split(/\r?\n/).map((l, i) => ({ n: i + 1, text: l.trim() })).filter((l) => l.text && !l.text.startsWith('#'));
  if (lines.length === 0) return { rows: [] };
  const header = lines[0]!.text.split(',').map((h) => h.trim().toLowerCase());
  const unknown = header.filter((h) => !(SERVER_COLUMNS as readonly string[]).includes(h));
  if (unknown.length) return { rows: [], error: `Line ${lines[0]!.n}: unknown column ${unknown.join(', ')}; the header names columns among ${SERVER_COLUMNS.join(', ')}` };
  if (!header.includes('name') || !header.includes('address')) return { rows: [], error: `Line ${lines[0]!.n}: the header must name at least the columns name and address` };
  const rows = lines.slice(1).map(({ n, text: t }) => {
    if (/["']/.test(t)) return { line: n, name: '', registration: {}, tags: [], error: 'quotes are not supported: values never hold commas' };
    const cells = t.split(',').map((c) => c.trim());
    if (cells.length > header.length) return { line: n, name: cells[0] ?? '', registration: {}, tags: [], error: `${cells.length} values for ${header.length} columns` };
    return rowOf(n, Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])) as Partial<Record<Column, string>>, shared);
  });
  return { rows };
}
