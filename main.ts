import { App } from 'cdktf';
import { ENVIRONMENTS } from './stacks/environments';
import { TwentyStack } from './stacks/twenty-stack';

const app = new App();
for (const env of ENVIRONMENTS) new TwentyStack(app, env);
app.synth();
