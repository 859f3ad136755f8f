import * as fs from 'node:fs';
import * as path from 'node:path';
import { git, nx, scratchClone } from './workspace';

// `nx affected` is what CI runs on a pull request: a change must select the projects it can break
// and leave the others alone. Each case commits one change in a scratch clone and asks Nx.

describe('nx affected', () => {
  let clone: ReturnType<typeof scratchClone>;

  beforeAll(() => {
    clone = scratchClone();
  });

  afterAll(() => clone.remove());

  function affectedBy(file: string, addedLine: string): string[] {
    fs.appendFileSync(path.join(clone.path, file), `${addedLine}\n`);
    git(['commit', '--quiet', '--all', '--message', `change ${file}`], clone.path);
    try {
      const shown = nx(
        ['show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', '--json'],
        clone.path,
      );
      return (JSON.parse(shown) as string[]).sort();
    } finally {
      git(['reset', '--quiet', '--hard', 'HEAD~1'], clone.path);
    }
  }

  it('selects the SQL library and its users for a change of libs/sql, not the mapper or the model', () => {
    const affected = affectedBy('libs/sql/src/query-engine.ts', '// a change');

    expect(affected).toEqual(expect.arrayContaining(['sql', 'cli', 'analytics']));
    expect(affected).not.toContain('mapper');
    expect(affected).not.toContain('canonical-model');
    expect(affected).not.toContain('ingestion');
  });

  it('selects the mapper, the transformer, the ingestion app and the command for a change of templates/', () => {
    const affected = affectedBy('templates/ses.vm', '## a change');

    expect(affected).toEqual(
      expect.arrayContaining(['templates', 'mapper', 'firehose-transformer', 'ingestion', 'cli']),
    );
    expect(affected).not.toContain('canonical-model');
    expect(affected).not.toContain('channel-detectors');
  });

  it('selects the model and every project built on it for a change of the canonical model, not the templates', () => {
    const affected = affectedBy('libs/canonical-model/src/names.ts', '// a change');

    expect(affected).toEqual(expect.arrayContaining(['canonical-model', 'mapper', 'lake', 'sql', 'cli']));
    expect(affected).not.toContain('templates');
  });
});
