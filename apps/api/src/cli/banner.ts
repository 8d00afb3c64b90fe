/**
 * What `overmind start` prints for a person at a terminal once it is up: where the console is and,
 * on the first start, the generated admin password set apart from the log lines around it.
 */
export function startBanner(opts: { consoleUrl: string | null; version: string; adminPassword?: string }): string {
  const lines = ['', `  Overmind ${opts.version} is running`];
  if (opts.consoleUrl) lines.push(`  Console and API: ${opts.consoleUrl}`, `  Command line:    overmind login ${opts.consoleUrl}`);
  if (opts.adminPassword) {
    const rule = `  ${'─'.repeat(64)}`;
    lines.push(
      '',
      rule,
      '  First start: user "admin" was created with this password:',
      '',
      `      ${opts.adminPassword}`,
      '',
      '  It is shown only this once: store it, and change it after logging in.',
      rule,
    );
  }
  return `${lines.join('\n')}\n\n`;
}
