/**
 * Reading and changing the balancers of one HAProxy host over its shell (a NodeSession, as root).
 *
 * A change is one remote script under `flock`, so two workers never interleave on one host:
 *   1. the state file must still be the one the change was computed from (its SHA-256), else exit 76
 *      and the caller reads it again (optimistic concurrency, like an ETag);
 *   2. the candidate haproxy.cfg is checked with `haproxy -c` before anything is switched: a bad
 *      one fails the change and the running configuration is never touched;
 *   3. the file is swapped and haproxy reloaded without dropping connections: in `daemon` mode a new
 *      process takes the listening sockets over from the old one (`-x` on the admin socket) and tells
 *      it to finish its open connections and exit (`-sf`); in `systemd` mode the unit's reload (Debian's
 *      runs haproxy master-worker, whose reload hands the sockets over the same way);
 *   4. if the reload fails, the previous file goes back (and is reloaded), the state is untouched;
 *   5. the state file is written, and with `waitDrain` the script waits for the old processes to
 *      finish their connections (bounded by hard-stop-after), so a detached member is idle when the
 *      call returns.
 * The new files travel base64 on stdin, never on a command line.
 */
import { createHash } from 'node:crypto';
import { ProviderError, TransientError, type NodeSession, type OperationContext } from '@overmind/provider';
import { shellQuote } from '@overmind/ssh';

export interface HostPaths {
  configPath: string;
  statePath: string;
  socketPath: string;
  binary: string;
  reload: { mode: 'systemd'; unit: string } | { mode: 'daemon'; pidFile: string };
  drainSeconds: number;
}

/** The state file's text and the hash a change must find unchanged (`none` when there is no file). */
export interface ReadState {
  text: string;
  hash: string;
}

export const EXIT_BUSY = 75;
export const EXIT_CHANGED = 76;
export const EXIT_INVALID = 65;
export const EXIT_RELOAD = 70;

const READ_SCRIPT = `set -u
if [ -f "$1" ]; then sha256sum < "$1" | cut -d' ' -f1; base64 -w0 < "$1"; echo; else echo none; fi`;

const APPLY_SCRIPT = `set -u
cfg=$1 state=$2 expect=$3 bin=$4 mode=$5 pidfile=$6 sock=$7 unit=$8 drain=$9
umask 022
# fd 9 holds the lock; the haproxy started below must not inherit it (9>&-), or it holds the lock forever
exec 9>>"$state.lock" || exit 1
flock -w 30 9 || { echo "another change to $cfg is still running" >&2; exit ${EXIT_BUSY}; }
if [ -f "$state" ]; then cur=$(sha256sum < "$state" | cut -d' ' -f1); else cur=none; fi
[ "$cur" = "$expect" ] || { echo "the balancers on this host changed meanwhile" >&2; exit ${EXIT_CHANGED}; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
IFS= read -r c || true
IFS= read -r s || true
{ printf %s "$c" | base64 -d > "$tmp/cfg" && printf %s "$s" | base64 -d > "$tmp/state"; } || { echo "could not read the new configuration" >&2; exit 1; }
if ! "$bin" -c -f "$tmp/cfg" > "$tmp/check" 2>&1; then cat "$tmp/check" >&2; exit ${EXIT_INVALID}; fi
alive() { [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat"; }
old=""
reload() {
  if [ "$mode" = systemd ]; then systemctl reload-or-restart "$unit" > "$tmp/reload" 2>&1 || { cat "$tmp/reload" >&2; return 1; }; return 0; fi
  old=""
  if [ -s "$pidfile" ]; then for p in $(cat "$pidfile"); do alive "$p" && old="$old $p"; done; fi
  if [ -n "$old" ]; then
    "$bin" -D -p "$pidfile" -f "$cfg" -x "$sock" -sf $old < /dev/null > "$tmp/reload" 2>&1 9>&- || { cat "$tmp/reload" >&2; return 1; }
  else
    "$bin" -D -p "$pidfile" -f "$cfg" < /dev/null > "$tmp/reload" 2>&1 9>&- || { cat "$tmp/reload" >&2; return 1; }
  fi
}
if [ -f "$cfg" ]; then cp -p "$cfg" "$cfg.prev" || exit 1; fi
{ cat "$tmp/cfg" > "$cfg.new" && chmod 644 "$cfg.new" && mv -f "$cfg.new" "$cfg"; } || exit 1
if ! reload; then
  if [ -f "$cfg.prev" ]; then cp -p "$cfg.prev" "$cfg" && reload > /dev/null 2>&1; else rm -f "$cfg"; fi
  echo "haproxy did not take the new configuration; the previous one is back in place" >&2
  exit ${EXIT_RELOAD}
fi
{ cat "$tmp/state" > "$state.new" && chmod 600 "$state.new" && mv -f "$state.new" "$state"; } || exit 1
if [ "$drain" -gt 0 ] && [ -n "$old" ]; then
  end=$(( $(date +%s) + drain + 5 ))
  for p in $old; do while alive "$p" && [ "$(date +%s)" -lt "$end" ]; do sleep 0.2; done; done
fi
exit 0`;

function script(body: string, args: readonly string[]): string {
  return `sh -c ${shellQuote(body)} overmind-haproxy ${args.map(shellQuote).join(' ')}`;
}

function tail(text: string): string {
  const lines = text.trim().split('\n').filter((l) => l.trim() !== '');
  return lines.slice(-8).join('\n').slice(0, 2000);
}

export async function readState(session: NodeSession, paths: HostPaths, ctx?: OperationContext): Promise<ReadState> {
  const result = await session.exec(script(READ_SCRIPT, [paths.statePath]), { sudo: true, timeoutMs: 60_000, ...(ctx?.signal ? { signal: ctx.signal } : {}) });
  if (result.exitCode !== 0) {
    throw new ProviderError(`Could not read the balancers on ${session.endpoint}: ${tail(result.stderr) || `exit ${result.exitCode}`}`);
  }
  const [hash = '', body = ''] = result.stdout.split('\n');
  if (hash === 'none') return { text: '', hash };
  const text = Buffer.from(body, 'base64').toString('utf8');
  if (!/^[0-9a-f]{64}$/.test(hash) || createHash('sha256').update(text).digest('hex') !== hash) {
    throw new TransientError(`The balancers on ${session.endpoint} changed while being read`);
  }
  return { text, hash };
}

/** Thrown when the state changed between read and apply: read again and retry. */
export class StateChangedError extends TransientError {}

export async function applyState(
  session: NodeSession,
  paths: HostPaths,
  change: { expectHash: string; config: string; state: string; waitDrain: boolean },
  ctx?: OperationContext,
): Promise<void> {
  const reload = paths.reload;
  const args = [
    paths.configPath,
    paths.statePath,
    change.expectHash,
    paths.binary,
    reload.mode,
    reload.mode === 'daemon' ? reload.pidFile : '',
    paths.socketPath,
    reload.mode === 'systemd' ? reload.unit : '',
    String(change.waitDrain ? paths.drainSeconds : 0),
  ];
  const stdin = `${Buffer.from(change.config).toString('base64')}\n${Buffer.from(change.state).toString('base64')}\n`;
  const result = await session.exec(script(APPLY_SCRIPT, args), {
    sudo: true,
    stdin,
    timeoutMs: (paths.drainSeconds + 90) * 1000,
    ...(ctx?.signal ? { signal: ctx.signal } : {}),
    ...(ctx?.log ? { onStderr: ctx.log } : {}),
  });
  if (result.exitCode === 0) return;
  const why = tail(result.stderr);
  switch (result.exitCode) {
    case EXIT_CHANGED:
      throw new StateChangedError(`The balancers on ${session.endpoint} changed meanwhile`);
    case EXIT_BUSY:
      throw new TransientError(`Another change to the balancers on ${session.endpoint} is still running`);
    case EXIT_INVALID:
      throw new ProviderError(`haproxy -c rejected the new configuration; the running one is unchanged:\n${why}`, { providerCode: 'invalid_config' });
    case EXIT_RELOAD:
      throw new ProviderError(`haproxy did not reload with the new configuration; the previous one is back:\n${why}`, { providerCode: 'reload_failed' });
    default:
      throw new ProviderError(`Changing the balancers on ${session.endpoint} failed (exit ${result.exitCode}): ${why}`);
  }
}
