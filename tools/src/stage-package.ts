// Stages a package as it is published: `dist/packages/<name>/` holds exactly the files npm packs from the
// project (its `files`), with a package.json stripped of what only the workspace uses: the
// `@engagement-db/source` export condition (it points at `src/`, which is not shipped), scripts, the Nx
// settings and the devDependencies. `nx release publish` publishes from there.
//
//   tsx tools/src/stage-package.ts libs/mapper        # prints the staged folder
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The export condition that resolves workspace packages to their TypeScript sources. */
export const sourceCondition = '@engagement-db/source';

const workspaceRoot = path.join(__dirname, '..', '..');

/** Where a package is staged: `dist/packages/<name without scope>`. */
export function stagedFolderOf(packageName: string): string {
  return path.join(workspaceRoot, 'dist', 'packages', packageName.replace(/^@[^/]+\//, ''));
}

/**
 * Packs a project with npm (so the file list is npm's own), unpacks it into its staged folder and
 * writes the published package.json there. Returns the staged folder.
 */
export function stagePackage(projectRoot: string): string {
  const root = path.resolve(workspaceRoot, projectRoot);
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as PackageJson;
  if (manifest.private) {
    throw new Error(
      `${manifest.name} (${projectRoot}) is private: only published packages are staged. Remove "private" from its package.json to publish it.`,
    );
  }
  const staged = stagedFolderOf(manifest.name);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-pack-'));
  try {
    const [{ filename }] = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], {
        cwd: root,
        encoding: 'utf8',
      }),
    ) as { filename: string }[];
    fs.rmSync(staged, { recursive: true, force: true });
    fs.mkdirSync(staged, { recursive: true });
    execFileSync('tar', ['-xzf', path.join(scratch, filename), '-C', staged, '--strip-components=1']);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  fs.writeFileSync(
    path.join(staged, 'package.json'),
    `${JSON.stringify(publishedManifest(manifest), null, 2)}\n`,
  );
  return staged;
}

interface PackageJson {
  readonly name: string;
  readonly private?: boolean;
  readonly exports?: unknown;
  readonly [field: string]: unknown;
}

/** The package.json consumers get: no workspace-only fields, no source condition in `exports`. */
export function publishedManifest(manifest: PackageJson): Record<string, unknown> {
  const { scripts: _scripts, nx: _nx, devDependencies: _devDependencies, ...published } = manifest;
  return manifest.exports === undefined
    ? published
    : { ...published, exports: withoutSource(manifest.exports) };
}

function withoutSource(conditions: unknown): unknown {
  if (typeof conditions !== 'object' || conditions === null) return conditions;
  return Object.fromEntries(
    Object.entries(conditions)
      .filter(([key]) => key !== sourceCondition)
      .map(([key, value]) => [key, withoutSource(value)]),
  );
}

if (require.main === module) {
  const projects = process.argv.slice(2);
  if (projects.length === 0) {
    process.stderr.write('usage: tsx tools/src/stage-package.ts PROJECT_ROOT...\n');
    process.exit(2);
  }
  for (const project of projects) process.stdout.write(`${stagePackage(project)}\n`);
}
