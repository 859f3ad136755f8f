export { MapperError, TemplateCompileError, TemplateLoadError } from './errors';
export type { TemplateSourceLocation } from './errors';
export { TemplateName, defaultTemplateSources, loadTemplateDirectory } from './template-sources';
export type { TemplateSources } from './template-sources';
export { compileTemplates } from './compile-templates';
export type { CompiledTemplates } from './compile-templates';
export { createMapper, mapperOptionsOf } from './mapper';
export type {
  ConversationMappingResult,
  EventMappingResult,
  Mapper,
  MapperOptions,
  MapperSettings,
} from './mapper';
export { MappingFailureKind, RenderLimit } from './mapping-failure';
export type { MappingFailure } from './mapping-failure';
