import { scopeCondition } from '@huanjie/platform';

/**
 * Courses and sessions are seen from below as well as from above: a town officer sees the courses
 * the district and the city run (the town's people attend them), as well as those of the town and
 * its villages. People's records (enrolments, onboarding) use the plain scopeCondition: only the
 * caller's subtree.
 */
export function visibleRunnerCondition(column: string, scopePath: string, params: unknown[]): string {
  if (scopePath === '') return 'TRUE';
  const inScope = scopeCondition(column, scopePath, params);
  const scope = `$${params.length}::text`;
  return `(${inScope} OR ${column} = '' OR (${scope} ~>=~ (${column} || '.') AND ${scope} ~<~ (${column} || '/')))`;
}
