/** Base class of the errors the dashboard server throws for a wrong configuration or a missing build. */
export class DashboardServerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DashboardServerError';
  }
}

/** The page's built files (script, style sheet, icon) are not where the server looks for them. */
export class DashboardAssetsError extends DashboardServerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DashboardAssetsError';
  }
}
