// The build: writes the dashboard definition the app deploys (default or configured settings) to
// dist/<dashboard id>.definition.json, in the shape QuickSight's API gives it, to review and diff.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeDefinitionOf } from '../api/code-definition';

const projectDirectory = join(__dirname, '..', '..');
const { dashboardId, definition } = codeDefinitionOf({ projectDirectory, env: process.env });
const file = join(projectDirectory, 'dist', `${dashboardId}.definition.json`);
mkdirSync(join(projectDirectory, 'dist'), { recursive: true });
writeFileSync(file, `${JSON.stringify(definition, null, 2)}\n`);
console.log(`Wrote ${file}`);
