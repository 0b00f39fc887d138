/**
 * Remembers the last `capacity` results of a pure function of one string, so
 * hot inputs (a spam sender reported by thousands of subscribers, a subscriber
 * sending the text and then the sender) are not worked out again. The oldest
 * entry goes first; results must be treated as read-only.
 */
export function boundedMemo<R>(fn: (key: string) => R, capacity: number): (key: string) => R {
  const cache = new Map<string, R>();
  return (key) => {
    if (cache.has(key)) return cache.get(key)!;
    const value = fn(key);
    if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
    cache.set(key, value);
    return value;
  };
}
