/** The repository's app: one stack per environment, synthesized with one report and a summary. */
import { App } from 'cdktf';
import { synthApp, TwentyStack } from '../../constructs';
import { ENVIRONMENTS } from './environments';

const app = new App();
for (const env of ENVIRONMENTS) new TwentyStack(app, env);
synthApp(app);
