export { MapperError, TemplateCompileError, TemplateLoadError } from './errors';
export { TemplateName, defaultTemplateSources, loadTemplateDirectory } from './template-sources';
export type { TemplateSources } from './template-sources';
export { compileTemplates } from './compile-templates';
export type { CompiledTemplates } from './compile-templates';
export { createMapper, mapperOptionsOf } from './mapper';
export type { Mapper, MapperOptions, MapperSettings, MappingResult } from './mapper';
export { MappingFailureKind } from './mapping-failure';
export type { MappingFailure } from './mapping-failure';
