import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { templatesDirectory } from '@engagement-db/templates';
import { TemplateLoadError } from './errors';
import { TemplateName, defaultTemplateSources, loadTemplateDirectory } from './template-sources';

describe('loadTemplateDirectory', () => {
  let folder: string;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-templates-'));
  });

  afterEach(() => {
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('reads <name>.vm for every template name', () => {
    for (const name of Object.values(TemplateName))
      fs.writeFileSync(path.join(folder, `${name}.vm`), `## ${name}`);

    const sources = loadTemplateDirectory(folder);

    expect(sources).toEqual({
      ses: '## ses',
      messaging: '## messaging',
      'whatsapp-message': '## whatsapp-message',
      'whatsapp-status': '## whatsapp-status',
    });
  });

  it('throws TemplateLoadError naming the missing file and how to fix it', () => {
    fs.writeFileSync(path.join(folder, 'ses.vm'), '{}');
    const missing = path.join(folder, 'messaging.vm');

    const load = () => loadTemplateDirectory(folder);

    expect(load).toThrow(TemplateLoadError);
    expect(load).toThrow(expect.objectContaining({ name: 'TemplateLoadError', file: missing }));
    expect(load).toThrow(
      `Cannot load template ${missing}: the file does not exist. Expected one readable file per template name ` +
        '(ses.vm, messaging.vm, whatsapp-message.vm, whatsapp-status.vm); copy the missing ones from the default templates folder.',
    );
  });

  it('keeps the file system error as the cause', () => {
    let caught: unknown;
    try {
      loadTemplateDirectory(path.join(folder, 'absent'));
    } catch (error) {
      caught = error;
    }

    expect((caught as Error).cause).toMatchObject({ code: 'ENOENT' });
  });
});

describe('defaultTemplateSources', () => {
  it('returns the .vm files of the templates package', () => {
    const sources = defaultTemplateSources();

    expect(sources.ses).toBe(fs.readFileSync(path.join(templatesDirectory, 'ses.vm'), 'utf8'));
    expect(Object.keys(sources).sort()).toEqual(Object.values(TemplateName).sort());
  });
});
