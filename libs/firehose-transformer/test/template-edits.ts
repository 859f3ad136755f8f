import { TemplateName, type TemplateSources, defaultTemplateSources } from '@engagement-db/mapper';

/** The organizationId a test template writes on every SES row, whatever the event says. */
export const overriddenOrganizationId = 'organization-from-test-template';

/** The default SES template with `organizationId` fixed to {@link overriddenOrganizationId}. */
export function overriddenSesTemplate(): string {
  const source = defaultTemplateSources()[TemplateName.ses];
  const edited = source.replace(
    /"organizationId":[^\n]*,/,
    `"organizationId": "${overriddenOrganizationId}",`,
  );
  expect(edited).not.toBe(source);
  return edited;
}

/** A template that is not Velocity: an `#if` that never closes. */
export const brokenTemplate = '#if( $eventType\n{ "channel": "email" }\n';

/** The default sources with some templates replaced. */
export function defaultSourcesWith(changes: Partial<TemplateSources>): TemplateSources {
  return { ...defaultTemplateSources(), ...changes };
}
