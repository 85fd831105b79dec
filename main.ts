// The cdktf app (cdktf.json, `npm run synth`): the repository's environments from examples/.
import { skipTokenTraces } from './stacks/token-traces';

skipTokenTraces();
// Loaded after the traces are off: building the stacks creates the tokens.
require('./examples/environments/main');
