import { DefaultTokenResolver, StringConcat, TerraformResource, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { cdktfInternalsPinned } from './cdktf-internals';

/**
 * `TerraformStack.toTerraform()` hands every value of the stack to cdktf's token resolver twice
 * (each element, then the merged stack), and the resolver costs a few microseconds for every
 * string, number and key, token or not: it was half of the synth time per environment.
 * `withFastResolve` walks the plain parts itself, copying them as the resolver would, and passes
 * to the resolver, with the same path and options, every value in which a token could hide: a
 * string with a token marker or anything like an encoded number, a token-encoded number, an
 * array holding one, an object with a `resolve` method or a suspicious key, a construct, a
 * function, anything nested deeper than cdktf's limit. The JSON is byte for byte the same, errors
 * included (a test compares both on every example stack and on hostile inputs).
 *
 * It replaces the resolver entry point `TerraformStack` calls (a private module of cdktf 0.21.0,
 * pinned; the project is archived) only while `fn` runs. Set CDKTF_FULL_RESOLVE=1 to resolve
 * everything the cdktf way; under any other cdktf version it always does.
 */
export function withFastResolve<T>(fn: () => T): T {
  if (!fastResolveUsable()) return fn();
  const entry = internals().entry;
  const cdktfResolve = entry.resolve;
  entry.resolve = (scope, obj, preparing = false) => fastResolve(scope, obj, preparing);
  try {
    return fn();
  } finally {
    entry.resolve = cdktfResolve;
  }
}

/** Whether withFastResolve takes the fast path (cdktf 0.21.0 and no CDKTF_FULL_RESOLVE). */
export function fastResolveUsable(): boolean {
  return !process.env.CDKTF_FULL_RESOLVE && cdktfInternalsPinned();
}

/** What `resolve(scope, obj, preparing)` in cdktf/lib/_tokens returns, without visiting plain values one by one. */
export function fastResolve(scope: IConstruct, obj: unknown, preparing = false): unknown {
  const { resolve, encoding, mapValues, Dependable, Reference } = internals();
  const stack = TerraformStack.of(scope);
  const resolver = new DefaultTokenResolver(new StringConcat());
  // The keys from the root to the value being walked: cdktf's `prefix`, named in its errors.
  const path: string[] = [];
  const delegate = (value: unknown): unknown => resolve(value, { scope, preparing, resolver, prefix: path.slice() });
  const child = (value: unknown, key: string): unknown => {
    path.push(key);
    try {
      return walk(value);
    } finally {
      path.pop();
    }
  };

  const walk = (value: unknown): unknown => {
    // cdktf refuses any value deeper than 200 (cycles) and names its path: let it.
    if (path.length > 200) return delegate(value);
    if (value === undefined || value === null) return value;
    switch (typeof value) {
      case 'string':
        return suspiciousString(value) ? (plainToken(value) ?? delegate(value)) : value;
      case 'number':
        return tokenNumber(value) ? delegate(value) : value;
      case 'object':
        break;
      case 'function':
        return delegate(value);
      default:
        return value;
    }
    if (value instanceof Date) return value;
    if (Array.isArray(value)) {
      // cdktf resolves an array item by item unless it holds a list or number token; items that
      // are plain tokens (most of `depends_on`) are resolved here, the rest as a whole by cdktf.
      let items: unknown[] = value;
      if (value.some((x) => typeof x === 'string' && x.includes(TOKEN))) {
        items = value.map((x) => (typeof x === 'string' && x.includes(TOKEN) ? plainToken(x) : x));
        if (items.some((x, i) => x === undefined && value[i] !== undefined)) return delegate(value);
      }
      if (value.some((x) => typeof x === 'number' && tokenNumber(x))) return delegate(value);
      const out: unknown[] = [];
      for (let i = 0; i < items.length; i++) {
        const r = child(items[i], `${i}`);
        if (r !== undefined) out.push(r);
      }
      return out;
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (
      typeof record.resolve === 'function' ||
      (record._children !== undefined && record._metadata !== undefined) ||
      keys.some(suspiciousString)
    )
      return delegate(value);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const r = child(record[key], key);
      if (r !== undefined) out[key] = r;
    }
    return out;
  };

  /** A string the resolver could change or refuse: a token marker, an encoded number, a map token. */
  function suspiciousString(s: string): boolean {
    if (s.includes(TOKEN) || mapValues.has(s)) return true;
    encoding.NUMBER_LIKE.lastIndex = 0;
    return encoding.NUMBER_LIKE.test(s);
  }
  function tokenNumber(n: number): boolean {
    if (mapValues.has(n)) return true;
    // Token doubles carry 0xfdff/0xfbff in their top 16 bits: magnitudes near 1e289 and up.
    if (n > -1e288 && n < 1e288) return false;
    return encoding.extractTokenDouble(n, false) !== undefined || encoding.extractTokenDouble(n, true) !== undefined;
  }

  /**
   * What cdktf resolves a string that is exactly one token to, for the two kinds of token that
   * make up most of a stack: a reference to an element of this stack (`${type.name.attribute}`,
   * a Reference) and `dependable(resource)` for a resource of this stack (its address without
   * braces: Dependable, then the resource's `fqn` Reference with braces suppressed). Undefined
   * for anything else (other tokens, other stacks, a cross-stack identifier, a result cdktf
   * would scan for encoded numbers): cdktf resolves those.
   */
  function plainToken(s: string): string | undefined {
    const token = tokenOf(s);
    if (token instanceof Reference) {
      const id = identifierInStack(token);
      return id === undefined ? undefined : unlessNumberLike(`\${${id}}`);
    }
    if (!(token instanceof Dependable)) return undefined;
    const target = (token as unknown as { dependable: unknown }).dependable;
    if (!(target instanceof TerraformResource) || TerraformStack.of(target) !== stack) return undefined;
    const id = identifierInStack(tokenOf(target.fqn));
    return id === undefined ? undefined : unlessNumberLike(id);
  }

  /** A Reference's identifier, when it resolves to it in this stack (cdktf's Reference.resolve). */
  function identifierInStack(token: unknown): string | undefined {
    if (!(token instanceof Reference)) return undefined;
    const ref = token as {
      identifier?: unknown;
      originStack?: unknown;
      crossStackIdentifier?: Record<string, unknown>;
    };
    const id = ref.identifier;
    if (ref.originStack !== stack || typeof id !== 'string' || id.includes(TOKEN)) return undefined;
    return ref.crossStackIdentifier?.[stack.toString()] === undefined ? id : undefined;
  }

  function unlessNumberLike(result: string): string | undefined {
    encoding.NUMBER_LIKE.lastIndex = 0;
    return encoding.NUMBER_LIKE.test(result) ? undefined : result;
  }

  return walk(obj);
}

/** The token a string is exactly one string token of (`${TfToken[KEY]}`), if any. */
function tokenOf(s: string): unknown {
  const key = STRING_TOKEN.exec(s)?.[1];
  return key === undefined ? undefined : internals().stringTokens.get(key);
}

/** cdktf's string token marker and key characters (VALID_KEY_CHARS), the whole string. */
const STRING_TOKEN = /^\$\{TfToken\[([a-zA-Z0-9:._-]+)\]\}$/;

/** The part every token marker shares: `${TfToken[`, `#{TfToken[` (lists), `&{TfToken[` (maps). */
const TOKEN = 'TfToken[';

interface ResolveOptions {
  readonly scope: IConstruct;
  readonly preparing: boolean;
  readonly resolver: DefaultTokenResolver;
  readonly prefix: string[];
}

interface Internals {
  /** cdktf/lib/_tokens: the entry point TerraformStack calls. */
  readonly entry: { resolve: (scope: IConstruct, obj: unknown, preparing?: boolean) => unknown };
  /** cdktf/lib/tokens/private/resolve: the resolver itself. */
  readonly resolve: (obj: unknown, options: ResolveOptions) => unknown;
  readonly encoding: {
    readonly extractTokenDouble: (n: number, list: boolean) => number | undefined;
    /** cdktf's pattern for numbers encoded in strings, which it resolves in every string. */
    readonly NUMBER_LIKE: RegExp;
  };
  /** The values cdktf refuses in scalar context (map tokens). */
  readonly mapValues: ReadonlySet<unknown>;
  /** TokenMap's string tokens by key. */
  readonly stringTokens: ReadonlyMap<string, unknown>;
  /** cdktf's classes behind `dependable(x)` and `ref(id, stack)` (TerraformElement.fqn), not exported. */
  readonly Dependable: new (...args: never[]) => unknown;
  readonly Reference: new (...args: never[]) => unknown;
}

let cached: Internals | undefined;

function internals(): Internals {
  if (cached) return cached;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const encoding = require('cdktf/lib/tokens/private/encoding');
  const { Token } = require('cdktf/lib/tokens/token');
  const { TokenMap } = require('cdktf/lib/tokens/private/token-map');
  const expression = require('cdktf/lib/tfExpression');
  const tokens = TokenMap.instance();
  const classOf = (tokenString: string) => tokens.lookupString(tokenString).constructor;
  cached = {
    entry: require('cdktf/lib/_tokens'),
    resolve: require('cdktf/lib/tokens/private/resolve').resolve,
    /* eslint-enable @typescript-eslint/no-require-imports */
    encoding: {
      extractTokenDouble: encoding.extractTokenDouble,
      // cdktf's own NUMBER_TOKEN_REGEX, which it does not export but every TokenString.forNumbers holds.
      NUMBER_LIKE: new RegExp(encoding.TokenString.forNumbers('').re.source, 'g'),
    },
    mapValues: new Set([Token.STRING_MAP_TOKEN_VALUE, Token.ANY_MAP_TOKEN_VALUE, Token.NUMBER_MAP_TOKEN_VALUE]),
    stringTokens: tokens.stringTokenMap,
    Dependable: classOf(expression.dependable({ fqn: 'x' })),
    Reference: expression.ref('x').constructor,
  };
  return cached;
}
