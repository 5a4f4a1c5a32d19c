import { randomUUID } from 'node:crypto';
import { DomainError } from '@huanjie/platform';
import { OPEN_STATUSES, planComplaint, type ReceiveComplaintInput } from '../src/domain/complaint.rules';

const village = '510107001002'; // a community of 武侯区, 成都
const base: ReceiveComplaintInput = {
  channel: 'HOTLINE',
  category: 'VOTE_BUYING',
  summary: '有人以每票200元拉票',
  orgUnitId: randomUUID(),
  regionCode: village,
};

/** The rule a bad input breaks, or null when it passes. */
function ruleBroken(input: Partial<ReceiveComplaintInput>): string | null {
  try {
    planComplaint({ ...base, ...input });
    return null;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'BAD_USER_INPUT') return error.rule;
    throw error;
  }
}

describe('planComplaint', () => {
  it("derives the region path from the unit's division code and trims the summary", () => {
    expect(planComplaint({ ...base, summary: ' 有人拉票 ' })).toEqual({
      channel: 'HOTLINE',
      category: 'VOTE_BUYING',
      summary: '有人拉票',
      orgUnitId: base.orgUnitId,
      regionPath: '51.5101.510107.510107001.510107001002',
      subjectPersonId: null,
    });
  });

  it('requires a summary of 1–2000 characters, counted as characters', () => {
    expect(ruleBroken({ summary: ' \n ' })).toBe('COMPLAINT.SUMMARY');
    expect(ruleBroken({ summary: '举'.repeat(2001) })).toBe('COMPLAINT.SUMMARY');
    expect(ruleBroken({ summary: '举'.repeat(2000) })).toBeNull();
  });

  it('never quotes the summary in its error message (it may name people)', () => {
    const summary = `张三${'x'.repeat(2000)}`;
    expect(() => planComplaint({ ...base, summary })).toThrow(/1–2000 characters, got 2002$/);
    try {
      planComplaint({ ...base, summary });
    } catch (error) {
      expect((error as Error).message).not.toContain('张三');
    }
  });

  it('requires ids to be UUIDs', () => {
    expect(ruleBroken({ orgUnitId: 'village-1' })).toBe('COMPLAINT.ORG_UNIT_ID');
    expect(ruleBroken({ subjectPersonId: '123' })).toBe('COMPLAINT.SUBJECT_PERSON_ID');
    expect(ruleBroken({ subjectPersonId: null })).toBeNull();
  });

  it('requires the 12-digit division code of a unit, not the nation', () => {
    expect(ruleBroken({ regionCode: '51010700100' })).toBe('COMPLAINT.REGION_CODE');
    expect(ruleBroken({ regionCode: '510100000012' })).toBe('COMPLAINT.REGION_CODE');
    expect(ruleBroken({ regionCode: '000000000000' })).toBe('COMPLAINT.REGION_CODE');
  });
});

describe('OPEN_STATUSES', () => {
  it('counts everything but closed and unsubstantiated cases as open', () => {
    expect([...OPEN_STATUSES].sort()).toEqual(['INVESTIGATING', 'RECEIVED', 'SUBSTANTIATED']);
  });
});
