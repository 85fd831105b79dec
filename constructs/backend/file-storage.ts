import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { StorageHmacKey } from '@cdktf/provider-google/lib/storage-hmac-key';
import { Construct } from 'constructs';
import { Guardrails } from '../guardrails/guardrails';
import { WriteOnlySecret } from '../gcp/write-only-secret';

/**
 * Twenty's S3 driver builds `new S3({ credentials, endpoint, forcePathStyle: true, region })`
 * and leaves the SDK's checksum defaults on (s3.driver.ts @ 361d3848, file-storage-driver.factory.ts
 * @ a754c482). Its lockfile pins `@aws-sdk/client-s3` 3.825.0, which by default sends CRC32
 * checksums, streams bodies as `aws-chunked` with a trailing checksum, and asks for response
 * checksums. These switches, read by the SDK from the environment, keep checksums to the
 * operations that require them; __tests__/integration/s3-checksums.test.ts shows the difference.
 */
export const AWS_SDK_CHECKSUM_ENV: Readonly<Record<string, string>> = {
  AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
  AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
};

/** Object read/write/delete on the bucket, and `buckets.get` for the S3 driver's HeadBucket. */
export const FILES_BUCKET_ROLES = ['roles/storage.objectUser', 'roles/storage.legacyBucketReader'] as const;
/** The construct id of each bucket grant (Terraform addresses: never change one). */
const BUCKET_GRANT_IDS: Readonly<Record<(typeof FILES_BUCKET_ROLES)[number], string>> = {
  'roles/storage.objectUser': 'ObjectUser',
  'roles/storage.legacyBucketReader': 'BucketReader',
};

export interface TwentyFileStorageProps {
  readonly project: string;
  readonly region: string;
  readonly bucketName: string;
  readonly serviceAccount: ServiceAccount;
  readonly forceDestroy: boolean;
  readonly noncurrentRetentionDays: number;
  readonly labels?: Record<string, string>;
}

/** Why the library keeps the one secret it cannot keep out of state. */
export const HMAC_KEY_SUPPRESSION =
  "built in: Twenty's S3 storage driver signs with an HMAC key, whose secret the provider returns into state; guard the state bucket like the secret";

/**
 * Twenty's uploads in a private Cloud Storage bucket, reached through the S3-compatible
 * API with an HMAC key of the Twenty service account. The HMAC secret is returned by
 * the provider and so is in state; it reaches Twenty only through Secret Manager.
 */
export class TwentyFileStorage extends Construct {
  public readonly bucket: StorageBucket;
  public readonly hmacKey: StorageHmacKey;
  /** `STORAGE_S3_SECRET_ACCESS_KEY`. */
  public readonly secret: WriteOnlySecret;
  public readonly grants: StorageBucketIamMember[];

  constructor(scope: Construct, id: string, props: TwentyFileStorageProps) {
    super(scope, id);
    this.bucket = new StorageBucket(this, 'Bucket', {
      project: props.project,
      name: props.bucketName,
      location: props.region,
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      forceDestroy: props.forceDestroy,
      labels: props.labels,
      versioning: { enabled: true },
      lifecycleRule: [
        {
          condition: { daysSinceNoncurrentTime: props.noncurrentRetentionDays, withState: 'ARCHIVED' },
          action: { type: 'Delete' },
        },
      ],
    });
    const member = props.serviceAccount.member;
    this.grants = FILES_BUCKET_ROLES.map(
      (role) =>
        new StorageBucketIamMember(this, BUCKET_GRANT_IDS[role], {
          bucket: this.bucket.name,
          role,
          member,
        }),
    );
    this.hmacKey = new StorageHmacKey(this, 'HmacKey', {
      project: props.project,
      serviceAccountEmail: props.serviceAccount.email,
    });
    Guardrails.suppress(this.hmacKey, 'SECRET-IN-STATE', HMAC_KEY_SUPPRESSION);
    this.secret = new WriteOnlySecret(this, 'HmacSecret', {
      project: props.project,
      region: props.region,
      secretId: `${props.bucketName}-hmac-secret`,
      labels: props.labels,
      value: this.hmacKey.secret,
      valueVersion: 1,
      // A replaced key (rotation) writes its new secret in the same apply.
      replaceWith: [this.hmacKey],
    });
  }
}
