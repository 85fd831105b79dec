/**
 * The smallest consumer: a production environment from the minimal config (seven keys, and the
 * notification channel that production's alerts need). In a project of
 * your own, import from 'cdktf-twenty-gcp' (the npm pack test does exactly that with this file).
 */
import { App } from 'cdktf';
import { synthApp, TwentyStack } from '../../constructs';

const app = new App();
new TwentyStack(app, {
  name: 'prod',
  production: true,
  projectId: 'acme-crm-prod',
  region: 'europe-west1',
  twentyVersion: 'v2.45.0',
  stateBucket: 'acme-crm-tfstate',
  frontDoor: { kind: 'load-balancer', domain: 'crm.acme.example' },
  monitoring: { notificationEmails: ['oncall@acme.example'] },
});
synthApp(app);
