// The ids and names the compiled definition gives QuickSight, derived from the definition's stable
// kebab-case ids, so that an exported definition maps back to `<sheet>.<id>` of the library.

/** `sending-number` → `SendingNumber`. */
function pascalCase(id: string): string {
  return id
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/**
 * A visual's id, unique across the dashboard (sheet ids hold no hyphen): `<sheet>-<id>`.
 *
 * @example visualIdOf('email', 'delivery-rate') // 'email-delivery-rate'
 */
export function visualIdOf(sheetId: string, visualId: string): string {
  return `${sheetId}-${visualId}`;
}

/**
 * The id of a dimension or measure field of a visual, unique across the dashboard.
 *
 * @example fieldIdOf('email-activity-per-day', 'emails-sent') // 'email-activity-per-day.emails-sent'
 */
export function fieldIdOf(visualId: string, fieldId: string): string {
  return `${visualId}.${fieldId}`;
}

/**
 * A filter's parameter: QuickSight parameter names are alphanumeric and shared by the whole
 * dashboard, so the sheet is part of the name. A date range has two, `From` and `To`.
 *
 * @example parameterNameOf('sms', 'sending-number') // 'smsSendingNumber'
 * @example parameterNameOf('sms', 'date', 'from') // 'smsDateFrom'
 */
export function parameterNameOf(sheetId: string, filterId: string, end?: 'from' | 'to'): string {
  return `${sheetId}${pascalCase(filterId)}${end ? pascalCase(end) : ''}`;
}

/**
 * The id of a filter's control on its sheet (a date range has a `-from` and a `-to` control).
 *
 * @example controlIdOf('sms', 'date', 'to') // 'sms-date-to'
 */
export function controlIdOf(sheetId: string, filterId: string, end?: 'from' | 'to'): string {
  return [sheetId, filterId, end].filter(Boolean).join('-');
}

/**
 * The filter group of one filter on one dataset of a sheet (and the id of its one filter, `-filter`).
 *
 * @example filterGroupIdOf('sms', 'country', 'sms-rates') // 'sms-country-sms-rates'
 */
export function filterGroupIdOf(sheetId: string, filterId: string, datasetId: string): string {
  return `${sheetId}-${filterId}-${datasetId}`;
}
