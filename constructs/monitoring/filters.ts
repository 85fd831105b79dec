import { RESOURCE, TwentyLogLine } from './catalogue';

/** `key="value"`, with the value's quotes and backslashes escaped. */
export function eq(key: string, value: string | number): string {
  return `${key}="${String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A Monitoring time-series filter: metric type, resource type, then labels, joined with AND. */
export function metricFilter(
  metricType: string,
  resourceType: string,
  labels: Record<string, string | number> = {},
): string {
  return [
    eq('metric.type', metricType),
    eq('resource.type', resourceType),
    ...Object.entries(labels).map(([k, v]) => eq(k, v)),
  ].join(' AND ');
}

/** Cloud Logging: entries whose text holds any of the line's substrings (`:` is a case-insensitive "has"). */
export function logLineFilter(line: TwentyLogLine): string {
  const terms = line.match.flatMap((m) => [
    `textPayload:${JSON.stringify(m)}`,
    `jsonPayload.message:${JSON.stringify(m)}`,
  ]);
  return `(${terms.join(' OR ')})`;
}

/** The log entries of the server, the worker pool and the migration job, by name. */
export interface TwentyLogSources {
  readonly service: string;
  readonly worker?: string;
  readonly job: string;
}

export function serviceLogs(name: string): string {
  return `(${eq('resource.type', RESOURCE.service)} AND ${eq('resource.labels.service_name', name)})`;
}

export function workerLogs(name: string): string {
  return `(${eq('resource.type', RESOURCE.workerPool)} AND ${eq('resource.labels.worker_pool_name', name)})`;
}

export function jobLogs(name: string): string {
  return `(${eq('resource.type', RESOURCE.job)} AND ${eq('resource.labels.job_name', name)})`;
}
