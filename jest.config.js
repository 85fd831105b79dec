/** Transpile-only (swc); types are checked by `tsc --noEmit` in `npm test`. */
module.exports = {
  testEnvironment: 'node',
  // Both cores: jest's default leaves one for itself, which mostly waits (unit suite 22 s -> 19 s here).
  maxWorkers: '100%',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/token-traces.ts', '<rootDir>/__tests__/setup.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/cdktf.out/'],
};
