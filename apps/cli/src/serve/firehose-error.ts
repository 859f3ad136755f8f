import type { Failure } from '@engagement-db/canonical-model';

/** The error types this endpoint answers with, named as Amazon Data Firehose names them. */
export const FirehoseErrorType = {
  accessDenied: 'AccessDeniedException',
  internalFailure: 'InternalFailure',
  invalidArgument: 'InvalidArgumentException',
  resourceNotFound: 'ResourceNotFoundException',
  serialization: 'SerializationException',
  serviceUnavailable: 'ServiceUnavailableException',
  unknownOperation: 'UnknownOperationException',
  validation: 'ValidationException',
} as const;
export type FirehoseErrorType = (typeof FirehoseErrorType)[keyof typeof FirehoseErrorType];

/**
 * A request the endpoint refuses, as a value: the AWS JSON 1.1 error type as its kind, its message
 * and the HTTP status.
 */
export interface FirehoseError extends Failure<FirehoseErrorType> {
  readonly status: number;
}

/** A refusal with HTTP status 400, the status Firehose gives every client error. */
export function clientError(kind: FirehoseErrorType, message: string): FirehoseError {
  return { kind, message, status: 400 };
}
