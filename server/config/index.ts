/** Public API of the config module: load, validate and resolve config.yaml; write the starter config. */
export { ConfigError, type ConfigIssue } from './errors.ts';
export { loadConfigFile, parseConfig, type LoadConfigOptions, type LoadedConfig } from './load.ts';
export { ENV_PREFIX, resolveReferences, type ReferenceResolver, type ReferenceResolvers, type ReferenceUse } from './resolve.ts';
export { validateConfig } from './schema.ts';
export { ensureStarterConfig, STARTER_CONFIG_YAML } from './starter.ts';
export { writeFileAtomic } from '../core/atomic-write.ts';
export { formatPath, type PathSegment } from './path.ts';
export * from '../core/config-types.ts';
