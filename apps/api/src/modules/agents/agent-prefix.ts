/**
 * The root an unprivileged agent install puts every path under (install.sh's OVERMIND_AGENT_PREFIX):
 * absolute, segments of plain characters that do not start with a dot (so no `..`), no empty
 * segment. One pattern for the route, the config and the job.
 */
export const AGENT_PREFIX_PATTERN = '^(/[A-Za-z0-9_+@-][A-Za-z0-9._+@-]*)+/?$';
