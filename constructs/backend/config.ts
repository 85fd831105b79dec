/**
 * Validation of TwentyBackendService's props, returning the config the construct builds from:
 * every default applied, project and region resolved, the Twenty version parsed once. Every
 * problem is collected and reported at synth (Problems); construction goes on with stand-ins.
 */
import { GoogleBetaProvider } from '@cdktf/provider-google-beta/lib/provider';
import { Annotations, LocalBackend, TerraformBackend, TerraformStack, Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { checkShape } from '../core/props-shape';
import { BACKEND_SHAPE } from '../core/shapes';
import { addSynthWarning } from '../core/synth-warnings';
import { Problems, quote, registerCheck, reportProblems } from '../core/validation';
import { findGoogleBetaProvider, resolveLocation } from '../gcp/providers';
import { checkSameRegion } from '../gcp/regions';
import { checkBucketName, checkLabels, checkRunResources, checkSecretVersion } from '../gcp/values';
import {
  DEFAULT_PG_POOL_SIZE,
  ENV_NAME,
  looksSecret,
  REFUSED_ENV_VARS,
  URL_WITH_CREDENTIALS,
} from '../twenty/catalogue';
import {
  checkTwentyVersion,
  contractWarning,
  NEWEST_VERIFIED_VERSION,
  parseTwentyVersion,
  requirementsFor,
  TwentyRequirements,
  TwentyVersion,
} from '../twenty/versions';
import { connectionBudgetProblems, defaultPoolSize } from './connection-budget';
import { OWNED_ENV_VARS } from './env';
import {
  DEFAULT_IAM_PROPAGATION_SECONDS,
  DEFAULT_MIGRATION_TIMEOUT_SECONDS,
  TwentyBackendServiceProps,
  TwentySecretRef,
} from './props';

/** The props with every default applied and every value resolved. */
export interface BackendConfig {
  readonly props: TwentyBackendServiceProps;
  readonly project: string;
  readonly region: string;
  readonly serviceAccountId: string;
  readonly minInstances: number;
  readonly maxInstances: number;
  readonly timeout: number;
  readonly migrationTimeout: number;
  readonly migrationQueryTimeout: number;
  readonly deletionProtection: boolean;
  readonly extraEnv: Readonly<Record<string, string>>;
  readonly extraSecrets: Readonly<Record<string, TwentySecretRef>>;
  /** Undefined only when the problem is reported. */
  readonly betaProvider?: GoogleBetaProvider;
  readonly jobName: string;
  readonly propagationSeconds: number;
  readonly cpu: string;
  readonly memory: string;
  readonly workerResources: { readonly cpu: string; readonly memory: string };
  readonly workerInstances: number;
  /** extraEnv / extraSecrets names refused (reported), left out when building. */
  readonly refused: ReadonlySet<string>;
  readonly poolSize: number;
  /** The Twenty release, parsed once (the newest verified one when the given one is refused). */
  readonly twenty: TwentyVersion;
  readonly needs: TwentyRequirements;
  /** Whether `twenty` is the release given (else the given tag was refused and reported). */
  readonly versionValid: boolean;
}

/** Checks `given` (reported on `scope` at synth) and returns the config to build from. */
export function resolveBackendConfig(scope: IConstruct, given: TwentyBackendServiceProps): BackendConfig {
  const problems = new Problems(`TwentyBackendService ${scope.node.path}`);
  const props = checkShape(problems, given, BACKEND_SHAPE);
  const { project, region } = resolveLocation(scope, props, problems, 'Cloud Run service');
  const serviceAccountId = props.serviceAccountId ?? `${props.serviceName}-run`;
  const minInstances = props.minInstances ?? 0;
  const maxInstances = props.maxInstances ?? 5;
  const timeout = props.requestTimeoutSeconds ?? 600;
  const migrationTimeout = props.migrationTimeoutSeconds ?? DEFAULT_MIGRATION_TIMEOUT_SECONDS;
  const migrationQueryTimeout = props.migrationQueryTimeoutSeconds ?? migrationTimeout;
  const deletionProtection = props.deletionProtection ?? true;
  const extraEnv = props.extraEnv ?? {};
  const extraSecrets = props.extraSecrets ?? {};
  const betaProvider = props.betaProvider ?? findGoogleBetaProvider(scope);
  const jobName = `${props.serviceName}-migrate`;
  const propagationSeconds = props.iamPropagationSeconds ?? DEFAULT_IAM_PROPAGATION_SECONDS;

  if (region) problems.whenKnown(props.database.region, (r) => checkSameRegion('Cloud SQL instance', r, region));
  if (region && betaProvider)
    problems.whenKnown(betaProvider.region, (r) => checkSameRegion('google-beta provider', r, region));
  const dbVersion = props.database?.twentyVersion;
  // Only two valid release tags are compared; a wrong one is reported on its own.
  if (
    typeof dbVersion === 'string' &&
    !checkTwentyVersion(dbVersion) &&
    !checkTwentyVersion(props.twentyVersion) &&
    dbVersion !== props.twentyVersion
  ) {
    problems.add(
      `twentyVersion ${quote(props.twentyVersion)} differs from ${quote(dbVersion)}, the version the database ${props.database.node.path} was built for (its PostgreSQL minimum and URL scheme follow it); give both the same twentyVersion`,
    );
  }
  if (!betaProvider) {
    problems.add(
      'no google-beta provider: the migration job needs one (run_execution_token is beta in provider 6.50); add a GoogleBetaProvider to the stack or pass `betaProvider`',
    );
  }
  const versionProblem = checkTwentyVersion(props.twentyVersion);
  if (versionProblem) problems.add(versionProblem);
  problems.whenKnown(props.serviceName, (n) =>
    /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/.test(n)
      ? undefined
      : `service name "${n}" is invalid; use lowercase letters, digits and hyphens, start with a letter, at most 40 characters (the job name adds "-migrate")`,
  );
  problems.whenKnown(serviceAccountId, (n) =>
    /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/.test(n)
      ? undefined
      : `service account id "${n}" is invalid; it must be 6-30 lowercase letters, digits and hyphens, starting with a letter (set \`serviceAccountId\`)`,
  );
  problems.whenKnown(props.serverUrl, checkServerUrl);
  if (typeof props.keyVersionDestroyTtl === 'string') {
    problems.whenKnown(props.keyVersionDestroyTtl, (t) =>
      /^[1-9]\d*s$/.test(t)
        ? undefined
        : `keyVersionDestroyTtl "${t}" is invalid; give a duration in seconds ending in "s" (e.g. "604800s"), or false`,
    );
  }
  problems.whenKnown(props.imageDigest, (d) =>
    /^sha256:[a-f0-9]{64}$/.test(d)
      ? undefined
      : `image digest "${d}" is invalid; expected "sha256:" and 64 hex digits`,
  );
  if (props.imageMirror && props.imageRepository)
    problems.add('imageMirror and imageRepository are both given; the mirror sets the repository, so give one of them');
  problems.whenKnown(props.imageRepository, (r) =>
    /[:@]/.test(r.split('/').pop() ?? '')
      ? `image repository "${r}" must not carry a tag or digest; the tag comes from twentyVersion`
      : undefined,
  );
  problems.whenKnown(minInstances, (n) =>
    Number.isInteger(n) && n >= 0 ? undefined : `minInstances ${n} must be a whole number >= 0`,
  );
  problems.whenKnown(maxInstances, (n) =>
    Number.isInteger(n) && n >= 1 && n <= 1000 ? undefined : `maxInstances ${n} must be a whole number from 1 to 1000`,
  );
  if (!Token.isUnresolved(minInstances) && !Token.isUnresolved(maxInstances) && minInstances > maxInstances) {
    problems.add(`minInstances ${minInstances} is greater than maxInstances ${maxInstances}`);
  }
  problems.whenKnown(timeout, (t) =>
    Number.isInteger(t) && t >= 1 && t <= 3600 ? undefined : `requestTimeoutSeconds ${t} must be from 1 to 3600`,
  );
  problems.whenKnown(migrationTimeout, (t) =>
    Number.isInteger(t) && t >= 60 && t <= 86400 ? undefined : `migrationTimeoutSeconds ${t} must be from 60 to 86400`,
  );
  problems.whenKnown(props.migrationQueryTimeoutSeconds, (t) =>
    Number.isInteger(t) && t >= 10 && t <= 86400
      ? undefined
      : `migrationQueryTimeoutSeconds ${t} must be from 10 to 86400`,
  );
  if (
    ![migrationTimeout, migrationQueryTimeout].some((t) => Token.isUnresolved(t)) &&
    migrationQueryTimeout > migrationTimeout
  ) {
    problems.add(
      `migrationQueryTimeoutSeconds ${migrationQueryTimeout} is longer than migrationTimeoutSeconds ${migrationTimeout}; the job would be stopped first`,
    );
  }
  problems.whenKnown(propagationSeconds, (n) =>
    Number.isInteger(n) && n >= 0 && n <= 600
      ? undefined
      : `iamPropagationSeconds ${n} must be a whole number from 0 to 600 (0 turns the wait off)`,
  );
  const cpu = props.cpu ?? '2';
  const memory = props.memory ?? '2Gi';
  if (!Token.isUnresolved(cpu) && !Token.isUnresolved(memory))
    for (const m of checkRunResources(cpu, memory, { cpu: 'cpu', memory: 'memory' })) problems.add(m);
  const workerResources = props.workerResources ?? { cpu: '1', memory: '2Gi' };
  if (
    props.workerResources &&
    !Token.isUnresolved(workerResources.cpu) &&
    !Token.isUnresolved(workerResources.memory)
  ) {
    for (const m of checkRunResources(workerResources.cpu, workerResources.memory, {
      cpu: 'workerResources.cpu',
      memory: 'workerResources.memory',
    }))
      problems.add(m);
  }
  problems.whenKnown(props.labels, (l) => checkLabels(l, 'labels'));
  problems.whenKnown(props.filesBucketName, (b) => checkBucketName(b, 'filesBucketName'));
  problems.whenKnown(props.concurrency, (c) =>
    Number.isInteger(c) && c >= 1 && c <= 1000 ? undefined : `concurrency ${c} must be from 1 to 1000`,
  );
  // Refused names are left out when building, so that construction can go on.
  const refused = new Set<string>();
  for (const name of [...Object.keys(extraEnv), ...Object.keys(extraSecrets)]) {
    const found = checkExtraName(name);
    for (const m of found) problems.add(m);
    if (found.length) refused.add(name);
  }
  for (const name of Object.keys(extraSecrets)) {
    if (name in extraEnv) {
      problems.add(`env var "${name}" is given both in extraEnv and extraSecrets; give it once`);
      refused.add(name);
    }
    problems.whenKnown(extraSecrets[name].secretId, (s) =>
      /^[A-Za-z0-9_-]{1,255}$/.test(s)
        ? undefined
        : `extraSecrets.${name}.secretId "${s}" is invalid; give the secret id, not its full name`,
    );
    problems.whenKnown(extraSecrets[name].version, (v) => checkSecretVersion(v, `extraSecrets.${name}.version`));
  }
  for (const [name, value] of Object.entries(extraEnv)) {
    if (looksSecret(name)) {
      problems.add(
        `extraEnv.${name} looks like a secret; plain env vars show in the console and the plan, so pass it through extraSecrets (a Secret Manager secret id)`,
      );
    } else if (!Token.isUnresolved(value) && URL_WITH_CREDENTIALS.test(value)) {
      problems.add(`extraEnv.${name} holds a URL with a password; pass it through extraSecrets instead`);
    }
  }
  const workerInstances = props.disableWorker ? 0 : (props.workerInstances ?? 1);
  const parsedVersion = parseTwentyVersion(props.twentyVersion);
  const budgetInput = parsedVersion && {
    twentyVersion: parsedVersion,
    serverMaxInstances: maxInstances,
    workerInstances,
    maxConnections: props.database.maxConnections,
    tier: props.database.tier,
  };
  const poolSize = props.dbPoolSize ?? (budgetInput ? defaultPoolSize(budgetInput) : DEFAULT_PG_POOL_SIZE);
  if (!props.disableWorker) {
    problems.whenKnown(props.workerInstances, (n) =>
      Number.isInteger(n) && n >= 1 && n <= 100
        ? undefined
        : `workerInstances ${n} must be a whole number from 1 to 100; queued jobs never run without a worker (set disableWorker to run without one)`,
    );
  }
  problems.whenKnown(props.dbPoolSize, (n) =>
    Number.isInteger(n) && n >= 2 && n <= 100 ? undefined : `dbPoolSize ${n} must be a whole number from 2 to 100`,
  );
  if (budgetInput) for (const m of connectionBudgetProblems({ ...budgetInput, poolSize })) problems.add(m);
  reportProblems(scope, problems);
  // Terraform state holds the HMAC secret of the files bucket (the provider returns it).
  if (!props.allowLocalState) registerCheck(scope, problems.subject, () => localStateProblems(scope));

  if (props.dbPoolSize === undefined && poolSize < DEFAULT_PG_POOL_SIZE) {
    Annotations.of(scope).addWarning(
      `dbPoolSize is not set: using ${poolSize}, the largest pool that fits max_connections ${props.database.maxConnections} (Twenty's default is ${DEFAULT_PG_POOL_SIZE}); set dbPoolSize, or give the database more connections, to choose yourself`,
    );
  }
  // A wrong version is reported above; construction goes on with the newest verified one.
  const parsed = parsedVersion;
  const twenty = versionProblem || !parsed ? parseTwentyVersion(NEWEST_VERIFIED_VERSION)! : parsed;
  const needs = requirementsFor(twenty);
  const contractProblem = versionProblem ? undefined : contractWarning(twenty);
  if (contractProblem) addSynthWarning(scope, contractProblem);
  return {
    props,
    project,
    region,
    serviceAccountId,
    minInstances,
    maxInstances,
    timeout,
    migrationTimeout,
    migrationQueryTimeout,
    deletionProtection,
    extraEnv,
    extraSecrets,
    betaProvider,
    jobName,
    propagationSeconds,
    cpu,
    memory,
    workerResources,
    workerInstances,
    refused,
    poolSize,
    twenty,
    needs,
    versionValid: !versionProblem,
  };
}

/**
 * A stack without a backend keeps its state in a local file, and that state holds the files
 * bucket's HMAC secret. cdktf adds a `LocalBackend` of its own when none is given, so an
 * unconfigured stack and an explicit `LocalBackend` look alike at synth: both are refused.
 */
function localStateProblems(service: IConstruct): string[] {
  const backends = TerraformStack.of(service)
    .node.findAll()
    .filter((c) => c instanceof TerraformBackend);
  if (backends.length > 0 && !backends.every((b) => b instanceof LocalBackend)) return [];
  return [
    `the stack keeps its Terraform state on this machine (no backend, or a LocalBackend), and that state holds the files bucket's HMAC secret; add a remote backend such as \`new GcsBackend(stack, { bucket, prefix })\` (TwentyStack does it from stateBucket), or set allowLocalState: true`,
  ];
}

/** `SERVER_URL` must be https with a host and no path, query or trailing slash. */
export function checkServerUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `serverUrl "${url}" is not a URL; give the public https URL users open, e.g. "https://crm.example.com"`;
  }
  if (parsed.protocol !== 'https:') {
    return `serverUrl "${url}" must use https; Twenty sets secure cookies and OAuth callbacks from it`;
  }
  if (/localhost|127\.0\.0\.1|\[::1\]/.test(parsed.hostname)) {
    return `serverUrl "${url}" points at localhost; give the public URL users open`;
  }
  if (parsed.pathname !== '/' || parsed.search || parsed.hash || url.endsWith('/')) {
    return `serverUrl "${url}" must be an origin only (no path, query or trailing slash), e.g. "https://crm.example.com"`;
  }
  return undefined;
}

function checkExtraName(name: string): string[] {
  if (!ENV_NAME.test(name)) return [`env var name "${name}" is invalid; use letters, digits and underscores`];
  if (OWNED_ENV_VARS.includes(name)) return [`env var "${name}" is set by the construct and cannot be overridden`];
  if (name in REFUSED_ENV_VARS) return [`env var "${name}" is refused: ${REFUSED_ENV_VARS[name]}`];
  return [];
}
