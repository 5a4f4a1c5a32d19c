import { createHash } from 'node:crypto';
import type { SeedData } from './types';

/** SHA-256 of the data set's JSON: equal digests, equal data (the generator fixes every key's order). */
export function digestOf(data: SeedData): string {
  return createHash('sha256').update(JSON.stringify(data)).digest('hex');
}

/** What the data set holds, for the summary and the tests. */
export function countsOf(data: SeedData) {
  const by = <T>(items: readonly T[], key: (t: T) => string) =>
    items.reduce<Record<string, number>>((acc, item) => ((acc[key(item)] = (acc[key(item)] ?? 0) + 1), acc), {});
  const candidates = data.elections.flatMap((e) => e.candidates);
  return {
    units: by(data.units, (u) => u.kind),
    villagesAndCommunities: data.units.filter((u) => u.level === 5).length,
    townships: data.units.filter((u) => u.level === 4).length,
    districts: data.units.filter((u) => u.level === 3).length,
    people: data.people.length,
    peopleByCategory: by(data.people, (p) => p.category),
    terms: data.terms.length,
    seats: data.terms.reduce((n, t) => n + t.positions.length, 0),
    elections: data.elections.length,
    electionsByStage: by(data.elections, (e) => `${e.committeeKind === 'PARTY' ? 'PARTY' : 'COMMITTEE'}:${e.stage}`),
    candidates: candidates.length,
    reviewsConcluded: candidates.filter((c) => c.review).length,
    reviewsDisqualified: candidates.filter((c) => c.review?.outcome === 'DISQUALIFIED').length,
    voters: data.elections.reduce((n, e) => n + e.voters.length, 0),
    pledges: data.pledges.length,
    complaints: data.complaints.length,
    complaintsByTarget: by(data.complaints, (c) => c.target),
    riskItems: data.riskItems.length,
    courses: data.courses.length,
    sessions: data.courses.reduce((n, c) => n + c.sessions.length, 0),
    enrolments: data.courses.reduce((n, c) => n + c.sessions.reduce((m, s) => m + s.enrolPersonKeys.length, 0), 0),
  };
}
export type SeedCounts = ReturnType<typeof countsOf>;
