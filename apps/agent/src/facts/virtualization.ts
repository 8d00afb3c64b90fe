/**
 * What the node runs on, the way systemd-detect-virt decides it: a container first (/.dockerenv,
 * /run/systemd/container, PID 1's `container=`), then a hypervisor from DMI or /sys/hypervisor, with
 * the CPU's `hypervisor` flag as the last word that some VM is there.
 */
import { access, readFile } from 'node:fs/promises';

export interface VirtualizationFact {
  /** `guest` inside a container or VM, `host` when this machine runs VMs (/dev/kvm), else `none`. */
  role: 'guest' | 'host' | 'none';
  /** The innermost layer: the container kind when in one, else the hypervisor. */
  type?: string;
  container?: string;
  vm?: string;
}

/** DMI vendor / product substrings, as systemd's dmi_vendor_table. */
const DMI_VENDORS: [RegExp, string][] = [
  [/^KVM|^OpenStack|^KubeVirt|^Amazon EC2|^Google Compute Engine/i, 'kvm'],
  [/^QEMU/i, 'qemu'],
  [/^VMware|^VMW/i, 'vmware'],
  [/^innotek GmbH|^VirtualBox|^Oracle Corporation/i, 'oracle'],
  [/^Xen/i, 'xen'],
  [/^Bochs/i, 'bochs'],
  [/^Parallels/i, 'parallels'],
  [/^BHYVE/i, 'bhyve'],
  [/^Microsoft Corporation.*Virtual Machine|^Hyper-V/i, 'microsoft'],
];

async function text(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

export async function detectContainer(root = ''): Promise<string | undefined> {
  if (await exists(`${root}/.dockerenv`)) return 'docker';
  if (await exists(`${root}/run/.containerenv`)) return 'podman';
  const marker = await text(`${root}/run/systemd/container`);
  if (marker) return marker;
  // PID 1's environment is root-only; where readable it names the container manager.
  const environ = await text(`${root}/proc/1/environ`);
  const hint = environ?.split('\0').find((v) => v.startsWith('container='));
  if (hint) return hint.slice('container='.length) || 'container-other';
  const cgroup = await text(`${root}/proc/1/cgroup`);
  if (cgroup && /\/(lxc|libpod|docker)[/-]/.test(cgroup)) return /lxc/.test(cgroup) ? 'lxc' : /libpod/.test(cgroup) ? 'podman' : 'docker';
  return undefined;
}

export async function detectVm(root = ''): Promise<string | undefined> {
  for (const f of ['sys_vendor', 'product_name', 'board_vendor', 'bios_vendor']) {
    const value = await text(`${root}/sys/class/dmi/id/${f}`);
    const hit = value && DMI_VENDORS.find(([re]) => re.test(value));
    if (hit) return hit[1];
  }
  const hypervisor = await text(`${root}/sys/hypervisor/type`);
  if (hypervisor === 'xen') return 'xen';
  const cpuinfo = await text(`${root}/proc/cpuinfo`);
  if (cpuinfo && /^flags\s*:.*\bhypervisor\b/m.test(cpuinfo)) return 'vm-other';
  return undefined;
}

export async function detectVirtualization(root = ''): Promise<VirtualizationFact> {
  const [container, vm] = await Promise.all([detectContainer(root), detectVm(root)]);
  if (container || vm) {
    return { role: 'guest', type: container ?? vm, ...(container ? { container } : {}), ...(vm ? { vm } : {}) };
  }
  return (await exists(`${root}/dev/kvm`)) ? { role: 'host', type: 'kvm' } : { role: 'none' };
}
