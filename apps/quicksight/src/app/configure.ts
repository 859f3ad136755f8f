// `npm run configure -w apps/quicksight -- [--interactive] [--<setting> <value> ...]`: writes config.json.
import { join } from 'node:path';
import { runConfigureCommand } from '@engagement-db/cdk-kit';
import { quickSightConfigSchema } from '../config/quicksight-config';

void runConfigureCommand(quickSightConfigSchema, join(__dirname, '..', '..'));
