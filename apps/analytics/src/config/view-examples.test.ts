import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyticsViews } from '@engagement-db/sql';
import { viewExamples } from './view-examples';

describe('the README of the analytics app', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

  it.each(analyticsViews.map((view) => [view.name, view]))(
    'describes %s with its description from analyticsViews and its example’s title',
    (name, view) => {
      // Act
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\` `));

      // Assert
      expect(row).toBeDefined();
      const cells = (row ?? '').split('|').map((cell) => cell.trim());
      expect(cells.slice(1, 4)).toEqual([`\`${name}\``, view.description, viewExamples[name].title]);
    },
  );
});
