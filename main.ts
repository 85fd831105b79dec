// The cdktf app (cdktf.json, `npm run synth`): the repository's environments from examples/.
import { skipTokenTraces } from './stacks/token-traces';

skipTokenTraces();
// Loaded after the traces are off: building the stacks creates the tokens (an import would be hoisted).
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./examples/environments/main');
