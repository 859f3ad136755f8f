export { ConfigSchema } from './config/config-schema';
export type { ConfigLayer } from './config/config-layers';
export type {
  ConfigOf,
  ConfigResult,
  ConfigSchemaDefinition,
  LoadConfigOptions,
  SettingsRule,
} from './config/config-schema';
export { environmentVariableOf, flagOf, logRetentionDaysSetting, sharedSettings } from './config/settings';
export type {
  BooleanSetting,
  ConfigValues,
  NumberSetting,
  Setting,
  SettingValue,
  Settings,
  SwitchSetting,
  TextSetting,
} from './config/settings';
export { ConfigureExitStatus, runConfigure, runConfigureCommand } from './config/configure-command';
export type { ConfigureIo } from './config/configure-command';
export { createCdkApp, runCdkApp } from './cdk-app';
export type { CdkApp, CdkAppOptions, SharedSettingsShape } from './cdk-app';
export { findAwsCredentials } from './aws-credentials';
export type { AwsCredentialsOptions, AwsCredentialsResult } from './aws-credentials';
export { accessLogsBucket, retentionDaysRule, secureBucketProps } from './buckets';
export { checkProps, numberRule } from './check-props';
export type { NumberRule, PropRule } from './check-props';
export { acknowledgeFindings, acknowledgeObjectWildcard } from './nag';
export { CdkAppError, InvalidConfigurationError, InvalidPropsError } from './errors';
export { sharedResourceNamesOf } from './shared-names';
export type { SharedResourceNames } from './shared-names';
