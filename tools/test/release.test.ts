import * as fs from 'node:fs';
import * as path from 'node:path';
import { git, nx, scratchClone } from './workspace';

// `nx release` versions each package on its own from the version plans in .nx/version-plans/,
// writes a CHANGELOG.md per package, and tags `@engagement-db/<name>@<version>`.

describe('nx release --dry-run', () => {
  it('passes on the workspace as it is', () => {
    expect(() => nx(['release', '--dry-run'])).not.toThrow();
  });

  describe('with a version plan for the mapper', () => {
    let clone: ReturnType<typeof scratchClone>;
    let output: string;

    beforeAll(() => {
      clone = scratchClone();
      // As on GitHub, where the changelog links commits to the repository.
      git(['remote', 'set-url', 'origin', 'https://github.com/engagement-db/engagement-db.git'], clone.path);
      const plans = path.join(clone.path, '.nx', 'version-plans');
      fs.mkdirSync(plans, { recursive: true });
      fs.writeFileSync(
        path.join(plans, 'compiled-templates.md'),
        '---\nmapper: minor\n---\n\nTemplates compile to JavaScript.\n',
      );
      git(['add', '--all'], clone.path);
      git(['commit', '--quiet', '--message', 'A version plan for the mapper'], clone.path);
      output = nx(['release', '--dry-run', '--verbose'], clone.path);
    });

    afterAll(() => clone.remove());

    it('bumps the mapper from its plan, and the packages that depend on it by a patch', () => {
      expect(output).toContain('mapper ❓ Applied semver relative bump "minor", read from version plan');
      for (const dependent of ['firehose-transformer', 'lake', 'cli', 'ingestion'])
        expect(output).toContain(
          `${dependent} ❓ Applied semver relative bump "patch", because a dependency was bumped`,
        );
    });

    it('leaves the packages the mapper builds on at their own versions', () => {
      for (const dependency of ['canonical-model', 'channel-detectors', 'templates'])
        expect(output).toContain(`${dependency} 🚫 No changes were detected within version plans`);
    });

    it("writes the mapper's changelog entry and updates the ranges its dependents name", () => {
      expect(output).toMatch(
        /CREATE libs\/mapper\/CHANGELOG\.md \[dry-run\]\n\+ ## 0\.1\.1[^\n]*\n\+\n\+ ### 🚀 Features\n\+\n\+ - Templates compile to JavaScript\./,
      );
      expect(output).toMatch(
        /-\s+"@engagement-db\/mapper": "0\.1\.0",\n\+\s+"@engagement-db\/mapper": "0\.1\.1"/,
      );
    });

    it('tags each released package as @engagement-db/<name>@<version>', () => {
      expect(output).toContain(
        'git tag --annotate @engagement-db/mapper@0.1.1 --message @engagement-db/mapper@0.1.1',
      );
      expect(output).toContain('git tag --annotate @engagement-db/lake@0.1.1');
      expect(output).not.toContain('@engagement-db/canonical-model@');
    });
  });
});
