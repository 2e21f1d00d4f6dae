/**
 * What the app needs from its metrics (docs/reconciliation.md, Metrics): observe each request by its
 * route pattern, and render the Prometheus text on a scrape. The prom-client implementation
 * (`prometheus.ts`) is wired by the Node runtime only; without it `/metrics` answers 501.
 */
export interface MetricsPort {
  /** One finished request: method, route pattern (never the raw path), status, seconds. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** The exposition text and its content type, gauges read from the store now. */
  render(): Promise<{ contentType: string; body: string }>;
}
