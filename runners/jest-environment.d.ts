// leakhunt/jest-environment: the project's own test environment (testEnvironmentOptions.leakhunt
// .environment, 'node' by default), with each test file's global watched.
declare class LeakhuntEnvironment {
  /** Returns the wrapped environment itself. */
  constructor(config: unknown, context: unknown)
}
export = LeakhuntEnvironment
