/** The front doors TwentyStack offers: one union member and one entry each. */
import { FIREBASE_FRONT_DOOR, FirebaseFrontDoor } from './firebase-proxy-hosting';
import { FrontDoorPlugin, NO_FRONT_DOOR, NoFrontDoor } from './front-door';
import { LOAD_BALANCER_FRONT_DOOR, LoadBalancerFrontDoor } from './https-load-balancer';

export type { FirebaseFrontDoor } from './firebase-proxy-hosting';
export type { LoadBalancerFrontDoor } from './https-load-balancer';
export type { NoFrontDoor } from './front-door';

/** What users reach Twenty through. */
export type TwentyFrontDoor = FirebaseFrontDoor | LoadBalancerFrontDoor | NoFrontDoor;

/** Each kind's plug-in, in the order error messages list them. */
export const FRONT_DOORS: {
  readonly [K in TwentyFrontDoor['kind']]: FrontDoorPlugin<Extract<TwentyFrontDoor, { kind: K }>>;
} = {
  'load-balancer': LOAD_BALANCER_FRONT_DOOR,
  firebase: FIREBASE_FRONT_DOOR,
  none: NO_FRONT_DOOR,
};

/** The plug-in of `door`'s kind (the kind is checked first). */
export function frontDoorOf<D extends TwentyFrontDoor>(door: D): FrontDoorPlugin<D> {
  return FRONT_DOORS[door.kind] as unknown as FrontDoorPlugin<D>;
}
