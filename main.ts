// The cdktf app (cdktf.json, `npm run synth`): the repository's environments from examples/.
import './examples/environments/main';
