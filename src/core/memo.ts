/**
 * `fn` with its results kept per argument, for pure functions of strings that the editor calls
 * with the same values on every keystroke (format checks, ARNs, paths). The cache is emptied when
 * it reaches `limit` entries, so it never outgrows a workspace's worth of distinct values.
 */
export function memoize<T>(fn: (key: string) => T, limit = 5_000): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    if (cache.has(key)) return cache.get(key) as T;
    const value = fn(key);
    if (cache.size >= limit) cache.clear();
    cache.set(key, value);
    return value;
  };
}
