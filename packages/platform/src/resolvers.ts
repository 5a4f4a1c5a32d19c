type ResolverMap = Record<string, Record<string, unknown>>;

/**
 * One resolver map from a subgraph's per-area modules: a type's fields may come from several of
 * them (an entity extended by two areas), but a field from two modules is a mistake and throws.
 */
export function mergeResolvers(...maps: ResolverMap[]): ResolverMap {
  const merged: ResolverMap = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      const into = (merged[type] ??= {});
      for (const [field, resolver] of Object.entries(fields)) {
        if (field in into) throw new Error(`resolver ${type}.${field} is defined by two modules`);
        into[field] = resolver;
      }
    }
  }
  return merged;
}
