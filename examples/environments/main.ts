/** The repository's app: one stack per environment and the bootstrap, synthesized with one report and a summary. */
import { App } from 'cdktf';
import { synthApp, TwentyBootstrapStack, TwentyStack } from '../../constructs';
import { bootstrapFor } from './bootstrap';
import { ENVIRONMENTS } from './environments';

const app = new App();
for (const env of ENVIRONMENTS) new TwentyStack(app, env);
// Applied once, first, by a project owner: `cdktf deploy twenty-bootstrap`.
new TwentyBootstrapStack(app, 'twenty-bootstrap', bootstrapFor(ENVIRONMENTS));
synthApp(app);
