/**
 * SQL for "this row lies within the caller's region scope". Every read in this service goes
 * through it, so a district officer never sees another district's rows, whatever the resolver.
 * Returns the condition and pushes its parameter; the nationwide scope ('') adds nothing.
 */
export function scopeCondition(column: string, scopePath: string, params: unknown[]): string {
  if (scopePath === '') return 'TRUE';
  params.push(scopePath);
  const p = `$${params.length}`;
  return `(${column} = ${p} OR ${column} LIKE ${p} || '.%')`;
}
