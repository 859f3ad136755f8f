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
 * A request the endpoint refuses, as a value: the AWS JSON 1.1 error type, its message and the HTTP status.
 *
 * @example
 * ```ts
 * const notFound: FirehoseError = {
 *   type: 'ResourceNotFoundException',
 *   message: 'Firehose stream orders under account 000000000000 not found.',
 *   status: 400,
 * };
 * ```
 */
export interface FirehoseError {
  readonly type: FirehoseErrorType;
  readonly message: string;
  readonly status: number;
}

/**
 * A refusal with HTTP status 400, the status Firehose gives every client error.
 *
 * @example clientError('UnknownOperationException', 'Unknown operation Firehose_20150804.Nope')
 */
export function clientError(type: FirehoseErrorType, message: string): FirehoseError {
  return { type, message, status: 400 };
}
