import type { Failure } from '@engagement-db/canonical-model';
import type { TemplateName } from './template-sources';

/**
 * Why a raw record could not be mapped.
 *
 * @example if (!result.ok && result.error.kind === MappingFailureKind.unknownSource) console.warn('not an AWS event');
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
  /** The template's renders of the record went beyond their budget of steps, nesting or size (see `limit`). */
  renderBudget: 'render-budget',
} as const;
export type MappingFailureKind = (typeof MappingFailureKind)[keyof typeof MappingFailureKind];

/**
 * Which limit of its render budget a record went beyond (see the mapper's README for the figures).
 *
 * @example if (failure.limit === RenderLimit.steps) console.error('the template loops too long');
 */
export const RenderLimit = {
  /** Evaluation steps: template nodes, expressions, loop iterations, macro calls, range elements. */
  steps: 'steps',
  /** Nesting of macro calls, `#define` expansions and `#eval`s, or of a value a template walks. */
  depth: 'depth',
  /** Characters the renders of a record produce: output, and every string a template builds. */
  size: 'size',
} as const;
export type RenderLimit = (typeof RenderLimit)[keyof typeof RenderLimit];

/**
 * A record that could not be mapped, as a value: what went wrong and where. `path` is the JSON path
 * of the offending field when one is to blame: in the raw record for an envelope or WhatsApp entry
 * the detectors cannot read (`$.Message`), in the template's row for a row that breaks the schema
 * (`$.timestamp`, with `template` naming the template). The message says the same in words, with
 * the line and column of output that is not JSON.
 *
 * @example
 * ```ts
 * const error: MappingFailure = {
 *   kind: 'invalid-record',
 *   message: 'template messaging: $.timestamp is required (bigint)',
 *   path: '$.timestamp',
 *   template: 'messaging',
 * };
 * ```
 */
export interface MappingFailure extends Failure<MappingFailureKind> {
  readonly template?: TemplateName;
  /** For a `render-budget` failure: the limit the record went beyond. */
  readonly limit?: RenderLimit;
}
