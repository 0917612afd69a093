// The parser ships no types: its output is prom2json's shape, as far as the tests read it.
declare module 'parse-prometheus-text-format' {
  /** Metric families of a Prometheus text exposition. */
  export default function parsePrometheusTextFormat(text: string): Array<{
    name: string;
    help: string;
    type: string;
    metrics: Array<{ labels?: Record<string, string>; value?: string; count?: string; sum?: string }>;
  }>;
}
