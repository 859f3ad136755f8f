/** Base of the errors `@engagement-db/dashboards` throws for programmer or configuration errors. */
export class DashboardError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DashboardError';
  }
}

/** A dashboard definition that cannot be compiled: a visual or filter names a dataset the dashboard lacks. */
export class DashboardDefinitionError extends DashboardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DashboardDefinitionError';
  }
}
