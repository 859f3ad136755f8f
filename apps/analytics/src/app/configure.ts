// `npm run configure -w apps/analytics -- [--interactive] [--<setting> <value> ...]`: writes config.json.
import { join } from 'node:path';
import { runConfigureCommand } from '@engagement-db/cdk-kit';
import { analyticsConfigSchema } from '../config/analytics-config';

void runConfigureCommand(analyticsConfigSchema, join(__dirname, '..', '..'));
