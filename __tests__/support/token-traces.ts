/**
 * The app's speed-up (constructs/core/token-traces.ts) applied to every test file: under jest,
 * source-map-support maps every frame of every cdktf token trace through the inline source maps
 * of cdktf and the providers, which took 1.5 s of the 1.7 s spent building eight stacks.
 */
import { skipTokenTraces } from '../../constructs/core/token-traces';

skipTokenTraces();
