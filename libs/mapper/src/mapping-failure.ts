import type { TemplateName } from './template-sources';

/**
 * Why a raw record could not be mapped.
 *
 * @example if (!result.ok && result.failure.kind === MappingFailureKind.unknownSource) skip(line);
 */
export const MappingFailureKind = {
  /** The record is not JSON. */
  unparseableJson: 'unparseable-json',
  /** The record is JSON but no known service's event (or its SNS/EventBridge envelope is broken). */
  unknownSource: 'unknown-source',
  /** The template failed while rendering. */
  templateError: 'template-error',
  /** The template rendered something that is not a JSON object. */
  invalidOutput: 'invalid-output',
  /** The record, or the row the template made of it, breaks the canonical schema. */
  invalidRecord: 'invalid-record',
} as const;
export type MappingFailureKind = (typeof MappingFailureKind)[keyof typeof MappingFailureKind];

/**
 * A record that could not be mapped, as a value: what went wrong and where (template name and line,
 * field path, position in the text).
 *
 * @example
 * ```ts
 * const failure: MappingFailure = { kind: 'unparseable-json', message: 'not JSON: Unexpected end of JSON input' };
 * ```
 */
export interface MappingFailure {
  readonly kind: MappingFailureKind;
  readonly message: string;
  readonly template?: TemplateName;
}
