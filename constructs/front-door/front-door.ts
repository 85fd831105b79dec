/**
 * Front doors as plug-ins: what TwentyStack needs from each (URL, APIs, ingress, how to build
 * it with its outputs, what the synth summary says). Adding one is a file with its construct
 * and a `FrontDoorPlugin`, plus one member of `TwentyFrontDoor` and `FRONT_DOORS` (front-doors.ts).
 */
import type { Construct } from 'constructs';
import type { PropShape } from '../core/props-shape';
import type { ITwentyServiceTarget } from './service-target';

export interface FrontDoorContext {
  /** The service behind the front door. */
  readonly backend: ITwentyServiceTarget;
  /** Whether the environment is production (stricter defaults). */
  readonly production: boolean;
}

/** How TwentyStack uses one kind of front door (`D`: its config, `kind` included). */
export interface FrontDoorPlugin<D extends { readonly kind: string }> {
  /** Runtime key list of the config (strict input). */
  readonly shape: PropShape<D>;
  /** APIs the front door calls (enabled only when the environment uses it). */
  readonly apis: readonly string[];
  /** The ingress the Cloud Run service needs behind it. */
  readonly ingress: 'all' | 'internal-and-load-balancer';
  /** The URL users open through it, if it has one. */
  publicUrl(door: D): string | undefined;
  /** Stand-ins for required values the config check refused (already reported). */
  withFallbacks(door: D): D;
  /** Builds it, with its outputs, as `front-door` in the stack; undefined when there is nothing to build. */
  build(stack: Construct, door: D, context: FrontDoorContext): Construct | undefined;
  /** The front door, in words (synth summary). */
  describe(door: D): string;
  /** What to do about DNS after the deploy, if anything. */
  nextStep(door: D, publicUrl: string): string | undefined;
}

/** Nothing in front: `publicUrl` is whatever you point at the service yourself. */
export type NoFrontDoor = { readonly kind: 'none' };

export const NO_FRONT_DOOR: FrontDoorPlugin<NoFrontDoor> = {
  shape: { kind: 'string' },
  apis: [],
  ingress: 'all',
  publicUrl: () => undefined,
  withFallbacks: (door) => door,
  build: () => undefined,
  describe: () => 'no front door',
  nextStep: (_door, publicUrl) => `point ${publicUrl} at the service (service_url output) yourself`,
};
