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
