/**
 * Values Google refuses at apply, checked at synth instead. Sources:
 * - Cloud Run CPU and memory: https://cloud.google.com/run/docs/configuring/services/cpu and
 *   https://cloud.google.com/run/docs/configuring/jobs/memory-limits (CPU below 1 needs
 *   concurrency 1 and request-based billing, so this library takes 1, 2, 4, 6 or 8; memory
 *   per CPU: 1 up to 4 GiB, 2 up to 8, 4 from 2 to 16, 6 from 4 to 24, 8 from 4 to 32; at
 *   least 512 MiB in the second generation execution environment).
 * - Labels: https://cloud.google.com/resource-manager/docs/labels-overview#requirements
 * - Bucket names: https://cloud.google.com/storage/docs/buckets, "Bucket names" (stored copy
 *   read 2026-12-01); the rules are quoted at `checkBucketName`.
 * - Secret versions: Cloud Run's SecretKeySelector.version "Can be 'latest' for the latest
 *   version, an integer for a specific version, or a version alias" (Cloud Run Admin API v2
 *   reference, e.g. https://cloud.google.com/dotnet/docs/reference/Google.Cloud.Run.V2/latest/Google.Cloud.Run.V2.SecretKeySelector;
 *   the provider's docs, hashicorp/terraform-provider-google v6.50.0
 *   website/docs/r/cloud_run_v2_service.html.markdown, omit the alias). Alias names "must start
 *   with a letter, can be up to 63 characters long, and can contain letters, numbers, hyphens (-),
 *   and underscores (_). You cannot use `Latest` or `New` (case-insensitive) as an alias name"
 *   (https://docs.cloud.google.com/secret-manager/regional-secrets/assign-alias-to-secret-version-rs).
 * - Cloud Armor policy names: hashicorp/terraform-provider-google v6.50.0 (956f5109)
 *   google/services/compute/resource_compute_security_policy.go validates `name` with
 *   `verify.ValidateGCEName`, google/verify/validation.go: `^(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)$`.
 */
import { createHash } from 'crypto';
import { quote } from '../core/validation';

/** Memory range in MiB per whole CPU count. */
const RUN_MEMORY_MIB: Readonly<Record<number, readonly [number, number]>> = {
  1: [512, 4096],
  2: [512, 8192],
  4: [2048, 16384],
  6: [4096, 24576],
  8: [4096, 32768],
};
const MIN_MEMORY_MIB = 512;

/** `512Mi`, `2Gi`, `1G`, `1000M` in MiB, or undefined when it is not a quantity Cloud Run takes. */
export function memoryMib(memory: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(Mi|Gi|M|G)$/.exec(memory);
  if (!m) return undefined;
  const n = Number(m[1]);
  return { Mi: n, Gi: n * 1024, M: (n * 1e6) / 2 ** 20, G: (n * 1e9) / 2 ** 20 }[m[2] as 'Mi' | 'Gi' | 'M' | 'G'];
}

/** Problems of a Cloud Run `cpu` / `memory` pair; `what` names the props, e.g. `cpu` / `workerResources.cpu`. */
export function checkRunResources(cpu: string, memory: string, names: { cpu: string; memory: string }): string[] {
  const cpus = /^\d+$/.test(cpu) ? Number(cpu) : /^\d+000m$/.test(cpu) ? Number(cpu.slice(0, -4)) : undefined;
  const range = cpus === undefined ? undefined : RUN_MEMORY_MIB[cpus];
  const problems: string[] = [];
  if (!range) {
    problems.push(
      `${names.cpu} ${quote(cpu)} is not a Cloud Run CPU count; allowed: "1", "2", "4", "6" or "8" (below 1 CPU Cloud Run serves one request at a time)`,
    );
  }
  const mib = memoryMib(memory);
  if (mib === undefined) {
    problems.push(`${names.memory} ${quote(memory)} is not a memory size; give MiB or GiB, e.g. "512Mi" or "2Gi"`);
  } else if (range && (mib < range[0] || mib > range[1])) {
    problems.push(
      `${names.memory} ${quote(memory)} does not fit ${cpus} CPU; Cloud Run takes ${gib(range[0])} to ${gib(range[1])} with ${cpus} CPU`,
    );
  } else if (!range && mib < MIN_MEMORY_MIB) {
    problems.push(`${names.memory} ${quote(memory)} is below Cloud Run's minimum of 512Mi`);
  }
  return problems;
}

function gib(mib: number): string {
  return mib < 1024 ? `${mib} MiB` : `${mib / 1024} GiB`;
}

const LABEL_KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;
const LABEL_VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;

/** Google Cloud label rules: lowercase keys starting with a letter, lowercase values, both up to 63 characters, at most 64 labels. */
export function checkLabels(labels: Record<string, string>, what: string): string[] {
  const problems: string[] = [];
  const entries = Object.entries(labels);
  if (entries.length > 64) problems.push(`${what} has ${entries.length} labels; Google Cloud allows 64`);
  for (const [key, value] of entries) {
    if (!LABEL_KEY.test(key)) {
      problems.push(
        `${what} key ${quote(key)} is invalid; label keys are 1-63 lowercase letters, digits, "_" and "-", starting with a lowercase letter`,
      );
    }
    if (typeof value !== 'string' || !LABEL_VALUE.test(value)) {
      problems.push(
        `${what}.${key} value ${quote(value)} is invalid; label values are up to 63 lowercase letters, digits, "_" and "-" (no spaces)`,
      );
    }
  }
  return problems;
}

const BUCKET_CHARS = /^[a-z0-9][a-z0-9._-]*[a-z0-9]$/;

/**
 * Cloud Storage bucket name rules, from "Bucket names" on https://cloud.google.com/storage/docs/buckets:
 * "lowercase letters, numeric characters, dashes (-), underscores (_), and dots (.)"; "must start
 * and end with a number or letter"; "3-63 characters. Names containing dots can contain up to 222
 * characters, but each dot-separated component can be no longer than 63 characters"; "cannot be
 * represented as an IP address in dotted-decimal notation"; "cannot begin with the "goog"
 * prefix"; "cannot contain "google" or close misspellings, such as "g00gle"". Refusing an empty
 * component (`..`) is ours: the page does not list it, but names with dots are domain names.
 */
export function checkBucketName(name: string, what: string): string | undefined {
  const parts = name.split('.');
  const max = parts.length > 1 ? 222 : 63;
  if (
    !BUCKET_CHARS.test(name) ||
    name.length < 3 ||
    name.length > max ||
    parts.some((p) => p.length === 0 || p.length > 63) ||
    /^\d+\.\d+\.\d+\.\d+$/.test(name)
  ) {
    return `${what} ${quote(name)} is not a valid bucket name; use 3-63 lowercase letters, digits, "-", "_" and "." (names with dots: up to 222, each dot-separated part up to 63), starting and ending with a letter or digit, not an IP address`;
  }
  if (name.startsWith('goog') || /g[o0][o0]gle/.test(name))
    return `${what} ${quote(name)} is refused by Cloud Storage: names must not start with "goog" or contain "google" or a close misspelling such as "g00gle"`;
  return undefined;
}

/**
 * `<project>-<service>-files`, shortened with a hash of the full name when it would pass 63
 * characters, so every project and service name gets a valid, stable, distinct bucket name.
 */
export function defaultFilesBucketName(project: string, serviceName: string): string {
  const full = `${project}-${serviceName}-files`;
  if (full.length <= 63) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, 63 - '-files'.length - hash.length - 1).replace(/[-_.]+$/, '')}-${hash}-files`;
}

const SECRET_ALIAS = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

/** A Secret Manager version to read: `latest`, a version number or a version alias. */
export function checkSecretVersion(version: string, what: string): string | undefined {
  if (version === 'latest' || /^[1-9]\d*$/.test(version)) return undefined;
  if (SECRET_ALIAS.test(version) && !['latest', 'new'].includes(version.toLowerCase())) return undefined;
  return `${what} ${quote(version)} is not a secret version; give "latest", a version number such as "3", or a version alias (a letter, then up to 62 letters, digits, "-" or "_"; not "new")`;
}

const RFC1035 = '[a-z]([-a-z0-9]{0,61}[a-z0-9])?';
const POLICY = new RegExp(
  `^((https://(www|compute)\\.googleapis\\.com/compute/(v1|beta)/)?projects/[a-z][-a-z0-9]{4,28}[a-z0-9]/global/securityPolicies/)?${RFC1035}$`,
);

/** A Cloud Armor security policy name (RFC 1035) or its `projects/P/global/securityPolicies/NAME` link. */
export function checkSecurityPolicy(policy: string): string | undefined {
  return POLICY.test(policy)
    ? undefined
    : `securityPolicy ${quote(policy)} is not a Cloud Armor policy name or link; names are 1-63 lowercase letters, digits and hyphens, starting with a letter (e.g. "twenty-armor"), links "projects/PROJECT/global/securityPolicies/NAME"`;
}
