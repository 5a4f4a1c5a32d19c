/**
 * SQL for "this row lies within the caller's region scope". Every read in this service goes
 * through it, so a district officer never sees another district's rows, whatever the resolver.
 * Returns the condition and pushes its parameter; the nationwide scope ('') adds nothing.
 */
export function scopeCondition(column: string, scopePath: string, params: unknown[]): string {
  if (scopePath === '') return 'TRUE';
  params.push(scopePath);
  return subtreeCondition(column, `$${params.length}::text`);
}

/**
 * SQL for "`column` is the region path `path` or lies beneath it", `path` being any SQL text
 * expression. Written as a range rather than `LIKE path || '.%'` so that a `text_pattern_ops`
 * index on the column serves it even when the path is a parameter or another column: every
 * descendant starts with `path.`, and '/' is the character right after '.'.
 */
export function subtreeCondition(column: string, path: string): string {
  return `(${column} = ${path} OR (${column} ~>=~ (${path} || '.') AND ${column} ~<~ (${path} || '/')))`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * Drops ids that are not UUIDs before a batched `= ANY($1::uuid[])` lookup: PostgreSQL would
 * reject the whole batch for one malformed id, while the caller only wants "not found" for it.
 */
export function onlyUuids(ids: readonly string[]): string[] {
  return ids.filter(isUuid);
}
