import type { DefinitionDifference } from './definition-diff';

const maximumValueLength = 160;

function shown(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > maximumValueLength ? `${text.slice(0, maximumValueLength - 1)}…` : text;
}

/**
 * The differences as a person reads them, one line each: `~` changed (code → deployed), `+` only in the
 * deployed dashboard (made in the console), `-` only in the code; or that there is none.
 *
 * @example formatDifferences([{ path: 'Sheets[email].Title', kind: 'changed', code: 'Email', deployed: 'E-mail' }])
 * // '1 difference between the code and the deployed dashboard (+ only deployed, - only in code):\n~ Sheets[email].Title: "Email" → "E-mail"'
 */
export function formatDifferences(differences: readonly DefinitionDifference[]): string {
  if (differences.length === 0) return 'The deployed dashboard is the definition in code: no difference.';
  const lines = differences.map((difference) => {
    switch (difference.kind) {
      case 'changed':
        return `~ ${difference.path}: ${shown(difference.code)} → ${shown(difference.deployed)}`;
      case 'deployed-only':
        return `+ ${difference.path}: ${shown(difference.deployed)}`;
      case 'code-only':
        return `- ${difference.path}: ${shown(difference.code)}`;
    }
  });
  const count = `${differences.length} difference${differences.length === 1 ? '' : 's'}`;
  return [
    `${count} between the code and the deployed dashboard (+ only deployed, - only in code):`,
    ...lines,
  ].join('\n');
}
