// The Lambda entry point of the Athena view custom resource: one bundle, two handlers
// (`index.onEvent`, `index.isComplete`), one client per container.
import { AthenaClient } from '@aws-sdk/client-athena';
import { athenaClientConfig, createAthenaViewHandlers } from './athena-view-handler';

const handlers = createAthenaViewHandlers(new AthenaClient(athenaClientConfig()));

export const onEvent = handlers.onEvent;
export const isComplete = handlers.isComplete;
