/** Reading a Prometheus text exposition (`GET /metrics`) in tests. */

/** The value of one sample line, `name{labels}` written exactly as the service writes it; undefined when absent. */
export function metricValue(text: string, sample: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}
