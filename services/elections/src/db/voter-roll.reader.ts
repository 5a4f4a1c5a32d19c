import type { EntityManager } from 'typeorm';

/**
 * What the election commands read of the voter roll (选民名单), kept to these two questions so the
 * roll's own store can change freely: how many voters are registered and when the list was published.
 * Rounds beneath a regular election (run-offs, the women's seat) vote on its roll.
 */
export async function countRegisteredVoters(manager: EntityManager, electionId: string): Promise<number> {
  const [row] = await manager.query(`SELECT count(*)::int AS n FROM voter WHERE election_id = $1 AND removed_at IS NULL`, [electionId]);
  return Number(row.n);
}

export async function voterListPublishedOn(manager: EntityManager, electionId: string): Promise<string | null> {
  const [row] = await manager.query(`SELECT to_char(voter_list_published_on, 'YYYY-MM-DD') AS d FROM election WHERE id = $1`, [electionId]);
  return row?.d ?? null;
}
