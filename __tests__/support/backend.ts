import { TerraformStack } from 'cdktf';
import {
  CloudSqlSocketDatabase,
  CloudSqlSocketDatabaseProps,
} from '../../constructs/database/cloud-sql-socket-database';
import { TwentyBackendService, TwentyBackendServiceProps } from '../../constructs/backend/twenty-backend-service';
import { UpstashRedisConfig } from '../../constructs/redis/upstash-redis-config';
import { providerStack } from './synth';

/**
 * Database and Redis in a provider stack, and a factory for the server on them, so a
 * test can assert what constructing the server throws.
 */
export function backendParts(
  props: Partial<TwentyBackendServiceProps> = {},
  stack: TerraformStack = providerStack(),
  dbProps: Partial<CloudSqlSocketDatabaseProps> = {},
) {
  const database = new CloudSqlSocketDatabase(stack, 'db', {
    instanceName: 'twenty-test',
    twentyVersion: props.twentyVersion ?? 'v2.45.0',
    ...dbProps,
  });
  const redis = new UpstashRedisConfig(stack, 'redis');
  const build = () =>
    new TwentyBackendService(stack, 'server', {
      serviceName: 'twenty-test',
      twentyVersion: 'v2.45.0',
      serverUrl: 'https://crm.example.com',
      database,
      redis,
      ...props,
    });
  return { stack, database, redis, build };
}

/** The whole backend, built. */
export function backend(props: Partial<TwentyBackendServiceProps> = {}, stack?: TerraformStack) {
  const parts = backendParts(props, stack);
  return { ...parts, server: parts.build() };
}
