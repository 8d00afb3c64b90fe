/**
 * A root login runs `sudo` commands directly. The test sshd never lets root in (root's dotfiles are
 * the machine's), so this checks the line sent for each user name on a client that records it.
 */
import type { Client } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { SshConnectError } from '../src/index.js';
import { runExec } from '../src/ssh-exec.js';

async function lineSent(username: string, sudo: boolean): Promise<string> {
  const lines: string[] = [];
  const client: Pick<Client, 'exec'> = {
    exec(command: string, callback: unknown) {
      lines.push(command);
      (callback as (err: Error) => void)(new Error('recorded, not run'));
      return this as Client;
    },
  };
  const ctx = { endpoint: `${username}@h:22`, username, sudoPassword: undefined, isConnected: () => true };
  await expect(runExec(client as Client, ctx, 'id -u', { sudo })).rejects.toBeInstanceOf(SshConnectError);
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('sudo by login user', () => {
  it('runs the command directly for root, through sudo for anyone else', async () => {
    const asRoot = await lineSent('root', true);
    expect(asRoot).not.toContain('sudo');
    expect(asRoot).toMatch(/; id -u$/);
    expect(await lineSent('deploy', true)).toMatch(/; sudo -n -p '\[overmind-sudo-[0-9a-f]+\]' -- \/bin\/sh -c '.*id -u'$/);
    expect(await lineSent('deploy', false)).not.toContain('sudo');
  });
});
