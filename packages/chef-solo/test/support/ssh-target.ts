/**
 * One real sshd per test file with a connected session (its throwaway login user, key auth,
 * passwordless sudo: chef-solo runs as root through sudo), and a fresh remote root per test.
 */
import { SshSession } from '@overmind/ssh';
import { startSshd, type SshdFixture, type StartSshdOptions } from '@overmind/ssh/testing';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { makeRemoteRoot, type RemoteRoot } from './remote-root.js';

export interface SshTargetContext {
  sshd: SshdFixture;
  /** Connected as the fixture's login user. */
  session: SshSession;
  /** Replaced before each test (or once per file with `perFile`). */
  remote: RemoteRoot;
}

export function useSshTarget(options: StartSshdOptions & { perFile?: boolean } = {}): SshTargetContext {
  const context = {} as SshTargetContext;
  const { perFile, ...sshdOptions } = options;
  beforeAll(async () => {
    context.sshd = await startSshd(sshdOptions);
    context.session = new SshSession(context.sshd.target());
    await context.session.connect();
    if (perFile) context.remote = await makeRemoteRoot();
  });
  afterAll(async () => {
    await context.session?.close();
    await context.sshd?.stop();
    if (perFile) await context.remote?.remove();
  });
  if (!perFile) {
    beforeEach(async () => {
      context.remote = await makeRemoteRoot();
    });
    afterEach(async () => {
      await context.remote?.remove();
    });
  }
  return context;
}
