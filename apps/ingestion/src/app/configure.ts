// `npm run configure -w apps/ingestion -- [--interactive] [--<setting> <value> ...]`: writes config.json.
import { join } from 'node:path';
import { runConfigureCommand } from '@engagement-db/cdk-kit';
import { ingestionConfigSchema } from '../config/ingestion-config';

void runConfigureCommand(ingestionConfigSchema, join(__dirname, '..', '..'));
