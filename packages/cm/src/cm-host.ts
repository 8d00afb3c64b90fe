/**
 * What a CM plugin needs from a node: run commands (optionally as root) and write files. An
 * `SshSession` from @overmind/ssh satisfies it as is; a pull agent can implement it for the local
 * machine, so plugins run unchanged in both modes.
 */
import type { NodeExecOptions, NodeExecResult, NodeSession, NodeWriteOptions } from '@overmind/provider';

export type HostExecOptions = NodeExecOptions;
export type HostExecResult = NodeExecResult;
export type HostWriteOptions = NodeWriteOptions;
/** The provider contract's NodeSession: what a driver lends (withNodeSession) is what a plugin works on. */
export type CmHost = NodeSession;

/** Single-quotes a value for a POSIX shell. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
