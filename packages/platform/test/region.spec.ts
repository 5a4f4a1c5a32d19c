import { DomainError, isWithin, parentPath, regionPathFromCode } from '../src';

describe('regionPathFromCode', () => {
  it.each([
    ['510000000000', '51'],
    ['510100000000', '51.5101'],
    ['510107000000', '51.5101.510107'],
    ['510107018000', '51.5101.510107.510107018'],
    ['510107018003', '51.5101.510107.510107018.510107018003'],
    ['000000000000', ''],
  ])('%s → %s', (code, path) => {
    expect(regionPathFromCode(code)).toBe(path);
  });

  it.each(['51010700000', '5101070000001', '51010700000X', '510100000012'])('refuses %s', (code) => {
    expect(() => regionPathFromCode(code)).toThrow(DomainError);
  });
});

describe('isWithin', () => {
  it('holds for the scope itself and what lies below it, not for a sibling sharing a prefix', () => {
    expect(isWithin('51.5101.510107', '51.5101.510107')).toBe(true);
    expect(isWithin('51.5101.510107.510107018', '51.5101.510107')).toBe(true);
    expect(isWithin('51.5101.5101071', '51.5101.510107')).toBe(false);
    expect(isWithin('51.5101.510108', '51.5101.510107')).toBe(false);
    expect(isWithin('31.3101', '')).toBe(true);
  });

  it('finds the parent path', () => {
    expect(parentPath('51.5101.510107')).toBe('51.5101');
    expect(parentPath('51')).toBe('');
  });
});
