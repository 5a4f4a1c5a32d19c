import { randomUUID } from 'node:crypto';
import { DomainError } from '@huanjie/platform';
import {
  defaultSeverity,
  formatReceiptCode,
  isPossibleDuplicate,
  normaliseReceiptCode,
  planComplaint,
  type DuplicateFacts,
  type ReceiveComplaintInput,
} from '../src/domain/complaint.rules';

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
  it("derives the region path from the unit's division code, trims the summary, and defaults to anonymous, outside an election period", () => {
    expect(planComplaint({ ...base, summary: ' 有人拉票 ' })).toEqual({
      channel: 'HOTLINE',
      category: 'VOTE_BUYING',
      severity: 'HIGH',
      summary: '有人拉票',
      orgUnitId: base.orgUnitId,
      regionPath: '51.5101.510107.510107001.510107001002',
      electionId: null,
      subjectPersonIds: [],
      electionPeriod: false,
      attachments: [],
      complainant: null,
    });
  });

  it('takes subjects in any combination: people (old single field merged, duplicates dropped), an election (then the election period by default)', () => {
    const [a, b, election] = [randomUUID(), randomUUID(), randomUUID()];
    const plan = planComplaint({ ...base, subjectPersonIds: [a, b, a], subjectPersonId: b, electionId: election });
    expect(plan.subjectPersonIds).toEqual([a, b]);
    expect(plan.electionId).toBe(election);
    expect(plan.electionPeriod).toBe(true);
    expect(planComplaint({ ...base, electionId: election, electionPeriod: false }).electionPeriod).toBe(false);
    expect(planComplaint({ ...base, electionPeriod: true }).electionPeriod).toBe(true);
  });

  it('grades the 三个一律 grounds HIGH by default, the rest MEDIUM; an explicit severity wins', () => {
    expect(['VOTE_BUYING', 'CLAN_INTERFERENCE', 'CRIMINAL_INTERFERENCE'].map((c) => defaultSeverity(c as 'VOTE_BUYING'))).toEqual(['HIGH', 'HIGH', 'HIGH']);
    expect(defaultSeverity('FINANCES')).toBe('MEDIUM');
    expect(planComplaint({ ...base, severity: 'LOW' }).severity).toBe('LOW');
  });

  it('requires a summary of 1–2000 characters, counted as characters, and never quotes it', () => {
    expect(ruleBroken({ summary: ' \n ' })).toBe('COMPLAINT.SUMMARY');
    expect(ruleBroken({ summary: '举'.repeat(2001) })).toBe('COMPLAINT.SUMMARY');
    expect(ruleBroken({ summary: '举'.repeat(2000) })).toBeNull();
    try {
      planComplaint({ ...base, summary: `张三${'x'.repeat(2000)}` });
    } catch (error) {
      expect((error as Error).message).not.toContain('张三');
    }
  });

  it('requires ids to be UUIDs and the 12-digit code of a unit, not the nation', () => {
    expect(ruleBroken({ orgUnitId: 'village-1' })).toBe('COMPLAINT.ORG_UNIT_ID');
    expect(ruleBroken({ subjectPersonIds: ['123'] })).toBe('COMPLAINT.SUBJECT_PERSON_ID');
    expect(ruleBroken({ electionId: 'e-1' })).toBe('COMPLAINT.ELECTION_ID');
    expect(ruleBroken({ regionCode: '51010700100' })).toBe('COMPLAINT.REGION_CODE');
    expect(ruleBroken({ regionCode: '000000000000' })).toBe('COMPLAINT.REGION_CODE');
  });

  it('keeps attachments as metadata and a SHA-256 hash only', () => {
    const sha256 = 'A'.repeat(64);
    expect(planComplaint({ ...base, attachments: [{ fileName: ' 录音.mp3 ', mediaType: 'audio/mpeg', sizeBytes: 1024, sha256 }] }).attachments).toEqual([
      { fileName: '录音.mp3', mediaType: 'audio/mpeg', sizeBytes: 1024, sha256: 'a'.repeat(64) },
    ]);
    expect(ruleBroken({ attachments: [{ fileName: 'x.jpg', mediaType: 'image/jpeg', sizeBytes: 10, sha256: 'abc' }] })).toBe('COMPLAINT.ATTACHMENT_HASH');
    expect(ruleBroken({ attachments: [{ fileName: 'x.jpg', mediaType: 'jpeg', sizeBytes: 10, sha256 }] })).toBe('COMPLAINT.ATTACHMENT');
  });

  it('takes an identified complainant with a name, and never quotes it', () => {
    expect(planComplaint({ ...base, complainant: { name: ' 李四 ', contact: ' 13800000000 ' } }).complainant).toEqual({ name: '李四', contact: '13800000000' });
    expect(ruleBroken({ complainant: { name: ' ' } })).toBe('COMPLAINT.COMPLAINANT_NAME');
    try {
      planComplaint({ ...base, complainant: { name: '李四'.repeat(30) } });
    } catch (error) {
      expect((error as Error).message).not.toContain('李四');
    }
  });
});

describe('possible duplicates', () => {
  const day = 86_400_000;
  const t0 = new Date('2026-03-01T02:00:00Z');
  const [p, q, unit, election] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const c = (over: Partial<DuplicateFacts>): DuplicateFacts => ({ id: randomUUID(), category: 'VOTE_BUYING', orgUnitId: unit, electionId: null, subjectPersonIds: [], receivedAt: t0, ...over });

  it('are of the same category, within 30 days, about a person in common or the same election', () => {
    expect(isPossibleDuplicate(c({ subjectPersonIds: [p, q] }), c({ subjectPersonIds: [q], receivedAt: new Date(t0.getTime() + 30 * day) }))).toBe(true);
    expect(isPossibleDuplicate(c({ subjectPersonIds: [p] }), c({ subjectPersonIds: [p], receivedAt: new Date(t0.getTime() + 31 * day) }))).toBe(false);
    expect(isPossibleDuplicate(c({ subjectPersonIds: [p] }), c({ subjectPersonIds: [p], category: 'PROCEDURE' }))).toBe(false);
    expect(isPossibleDuplicate(c({ electionId: election }), c({ electionId: election, subjectPersonIds: [q] }))).toBe(true);
    expect(isPossibleDuplicate(c({ subjectPersonIds: [p] }), c({ subjectPersonIds: [q] }))).toBe(false);
  });

  it('are about the same unit only when neither names a person or an election', () => {
    expect(isPossibleDuplicate(c({}), c({}))).toBe(true);
    expect(isPossibleDuplicate(c({}), c({ subjectPersonIds: [p] }))).toBe(false);
    expect(isPossibleDuplicate(c({}), c({ orgUnitId: randomUUID() }))).toBe(false);
  });
});

describe('receipt codes', () => {
  it('are read forgivingly (case, dashes, spaces, I/L/O) and refused when they cannot be one', () => {
    const code = formatReceiptCode('0123456789ABCDEFGHJK');
    expect(code).toBe('0123-4567-89AB-CDEF-GHJK');
    expect(normaliseReceiptCode(' o123 4567-89ab-cdef-ghjk ')).toBe('0123456789ABCDEFGHJK');
    expect(normaliseReceiptCode('l123456789ABCDEFGHJK')).toBe('1123456789ABCDEFGHJK');
    expect(normaliseReceiptCode('0123456789ABCDEFGHJ')).toBeNull();
    expect(normaliseReceiptCode('0123456789ABCDEFGHJU')).toBeNull(); // U is not in Crockford's alphabet
  });
});
