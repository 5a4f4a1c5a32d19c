import { z } from 'zod';

export const uuid = z.uuid();
/** 12-digit 行政区划代码. */
export const divisionCode = z.string().regex(/^\d{12}$/).describe('行政区划代码 — 12-digit statistical division code');
/** Dot-separated region path, e.g. '51.5101.510107.510107001'. */
export const regionPath = z
  .string()
  .regex(/^(\d+(\.\d+)*)?$/)
  .describe('region path of the org unit: the division-code prefixes from province down, dot-separated');
export const isoDate = z.iso.date();
export const isoDateTime = z.iso.datetime({ offset: true });

/** 两委: which of a unit's two committees. */
export const committeeKind = z
  .enum(['PARTY', 'VILLAGERS', 'RESIDENTS'])
  .describe('两委 — PARTY 党组织委员会 / VILLAGERS 村民委员会 / RESIDENTS 居民委员会');
/** 党组织形式: how the unit's Party organisation is constituted; fixes its committee's lawful size. */
export const partyOrgForm = z
  .enum(['BRANCH', 'GENERAL_BRANCH', 'COMMITTEE'])
  .describe('党组织形式 — BRANCH 党支部 / GENERAL_BRANCH 党总支 / COMMITTEE 党委');
/** 职务: a seat on a committee; the first three belong to the Party committee, the rest to the other. */
export const positionRole = z
  .enum(['SECRETARY', 'DEPUTY_SECRETARY', 'PARTY_MEMBER_SEAT', 'DIRECTOR', 'DEPUTY_DIRECTOR', 'MEMBER', 'WOMEN_MEMBER'])
  .describe(
    '职务 — SECRETARY 书记 / DEPUTY_SECRETARY 副书记 / PARTY_MEMBER_SEAT 党组织委员 / DIRECTOR 主任 / DEPUTY_DIRECTOR 副主任 / MEMBER 委员 / WOMEN_MEMBER 妇女委员',
  );
/** 离任原因. */
export const positionEndReason = z
  .enum(['TERM_ENDED', 'TRANSFERRED', 'RESIGNED', 'REMOVED', 'RESULT_VOIDED'])
  .describe('离任原因 — TERM_ENDED 任期届满 / TRANSFERRED 转岗交流 / RESIGNED 辞职 / REMOVED 罢免或免职 / RESULT_VOIDED 选举无效');
