import { App } from 'cdktf';
import { ENVIRONMENTS } from './stacks/environments';
import { skipTokenTraces } from './stacks/token-traces';
import { TwentyStack } from './stacks/twenty-stack';

skipTokenTraces();
const app = new App();
for (const env of ENVIRONMENTS) new TwentyStack(app, env);
app.synth();
