import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCorpus } from '@engagement-db/corpus';
import { captureOutput } from '../test/captured-output';
import { decodedRows, firehoseEvent } from '../test/firehose-event';
import { defaultSourcesWith, overriddenOrganizationId, overriddenSesTemplate } from '../test/template-edits';
import { bundledTemplateSource, defaultBundledTemplatesDir } from './bundled-template-source';
import { createTransformer } from './transformer';

const ses = loadCorpus().find((c) => c.group === 'ses' && c.expected !== null)!;

describe('bundledTemplateSource', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'firehose-transformer-templates-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('maps with the .vm files of the given folder', async () => {
    for (const [name, source] of Object.entries(defaultSourcesWith({ ses: overriddenSesTemplate() }))) {
      writeFileSync(join(dir, `${name}.vm`), source);
    }
    const transform = createTransformer({ templateSource: bundledTemplateSource(dir) });

    const { value: result } = await captureOutput(() => transform(firehoseEvent([ses.rawText])));

    expect(decodedRows(result.records[0])).toEqual([
      { ...ses.expected![0], organizationId: overriddenOrganizationId },
    ]);
  });

  it('uses the mapper defaults, compiled once, when no folder is given and none is beside the handler', async () => {
    const source = bundledTemplateSource();

    const [first, second] = [await source.templates(), await source.templates()];

    expect(existsSync(defaultBundledTemplatesDir)).toBe(false);
    expect(second).toBe(first);
    const { value: result } = await captureOutput(() =>
      createTransformer({ templateSource: source })(firehoseEvent([ses.rawText])),
    );
    expect(decodedRows(result.records[0])).toEqual(ses.expected);
  });

  it('rejects with TemplateLoadError naming the file when the given folder lacks a template', async () => {
    writeFileSync(join(dir, 'ses.vm'), overriddenSesTemplate());

    await expect(bundledTemplateSource(dir).templates()).rejects.toMatchObject({
      name: 'TemplateLoadError',
      message: expect.stringContaining(
        `Cannot load template ${join(dir, 'messaging.vm')}: the file does not exist.`,
      ),
    });
  });
});
