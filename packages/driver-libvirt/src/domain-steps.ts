/** The small virsh steps that create and remove domains and their cloned volumes. */
import type { OperationContext } from '@overmind/provider';
import { parseVolumeXml, type VolumeInfo } from './domain-xml-parser.js';
import type { VirshShell } from './virsh-shell.js';

const GIB = 1024 ** 3;

export async function readVolume(virsh: VirshShell, pool: string, name: string): Promise<VolumeInfo> {
  return parseVolumeXml(await virsh.run(['vol-dumpxml', '--pool', pool, name]));
}

/**
 * Clones `base` to `target` in `pool` and grows it to `diskGb` when the base is smaller. A volume
 * already named `target` can only be left over from an interrupted create of this very node (the name
 * carries the node's UUID), so it is replaced.
 */
export async function cloneVolume(
  virsh: VirshShell,
  args: { pool: string; base: VolumeInfo; target: string; diskGb: number; timeoutMs: number },
  ctx?: OperationContext,
): Promise<void> {
  const { pool, base, target } = args;
  if ((await virsh.attempt(['vol-info', '--pool', pool, target])).exitCode === 0) {
    ctx?.log?.(`removing volume ${target} left over from an earlier attempt`);
    await virsh.run(['vol-delete', '--pool', pool, target]);
  }
  ctx?.log?.(`cloning volume ${base.name} to ${target} in pool ${pool}`);
  await virsh.run(['vol-clone', '--pool', pool, base.name, target], { timeoutMs: args.timeoutMs });
  const wanted = args.diskGb * GIB;
  if (wanted > (base.capacityBytes ?? 0)) {
    ctx?.log?.(`growing ${target} to ${args.diskGb} GiB`);
    await virsh.run(['vol-resize', '--pool', pool, target, String(wanted)]);
  }
}

export async function defineDomain(virsh: VirshShell, xml: string, ctx?: OperationContext): Promise<void> {
  ctx?.log?.('defining the domain');
  // The XML goes on stdin: nothing user-supplied reaches the command line.
  await virsh.run(['define', '/dev/stdin'], { stdin: xml });
}

export async function startDomain(virsh: VirshShell, uuid: string, ctx?: OperationContext): Promise<void> {
  ctx?.log?.(`starting domain ${uuid}`);
  await virsh.run(['start', uuid]);
}

/** Best-effort rollback of a failed create; never throws, so the original error is what surfaces. */
export async function rollback(
  virsh: VirshShell,
  steps: { uuid?: string; volume?: { pool: string; name: string } },
  ctx?: OperationContext,
): Promise<void> {
  const quiet = { uninterruptible: true };
  if (steps.uuid) {
    ctx?.log?.(`rolling back: undefining domain ${steps.uuid}`);
    await virsh.attempt(['destroy', steps.uuid], quiet).catch(() => undefined);
    await virsh.attempt(['undefine', steps.uuid], quiet).catch(() => undefined);
  }
  if (steps.volume) {
    ctx?.log?.(`rolling back: deleting volume ${steps.volume.name}`);
    await virsh.attempt(['vol-delete', '--pool', steps.volume.pool, steps.volume.name], quiet).catch(() => undefined);
  }
}
