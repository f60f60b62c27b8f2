/**
 * Defers building something (an app's adapters) until the first invocation needs it, so that
 * registering functions needs no settings and connects to nothing. A failed build is retried
 * on the next use rather than cached.
 */
export function onFirstUse<T>(build: () => T | Promise<T>): () => Promise<T> {
  let built: Promise<T> | undefined;
  return () => {
    built ??= Promise.resolve()
      .then(build)
      .catch((error: unknown) => {
        built = undefined;
        throw error;
      });
    return built;
  };
}
