import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Test files that take minutes, longest first. Vitest orders a run it has no timings for (every fresh
 * clone, every CI run) by file size, which started the console's accessibility gallery (a small file
 * that runs for minutes) last, so the whole suite waited for it. These start first, beside the short
 * ones. The OpenStack lane installs its peer's Debian packages on a fresh machine: mostly waiting.
 */
const LONG_FIRST = ['openstack-peer', 'web-a11y-gallery', 'web-e2e', 'agent-connection', 'cli', 'users-tokens', 'dedicated-registration', 'http-fuzz'];

const rank = (file: TestSpecification) => {
  const i = LONG_FIRST.findIndex((name) => file.moduleId.endsWith(`/test/${name}.test.ts`));
  return i === -1 ? LONG_FIRST.length : i;
};

export class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return sorted.map((file, i) => ({ file, i })).sort((a, b) => rank(a.file) - rank(b.file) || a.i - b.i).map(({ file }) => file);
  }
}
