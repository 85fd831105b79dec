// npm aliases of older validator.js releases (see package.json); same API as `validator`.
declare module 'validator-13-7/lib/isURL' {
  import isURL from 'validator/lib/isURL';
  export default isURL;
}
declare module 'validator-13-12/lib/isURL' {
  import isURL from 'validator/lib/isURL';
  export default isURL;
}
