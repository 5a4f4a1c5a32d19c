import { nationalIdCheckChar, parseNationalId } from '@huanjie/platform';
import type { Rng } from './prng';
import type { Gender } from './types';

/**
 * 公民身份号码 (GB 11643-1999) for generated people: the district's 6-digit address code, the birth
 * date, a 3-digit sequence whose parity is the gender (odd = male), and the ISO 7064 MOD 11-2 check
 * character from the platform (nationalIdCheckChar). One issuer per district keeps them unique:
 * every number with the district's address code is issued by it.
 */
export class IdNumberIssuer {
  private readonly issued = new Set<string>();

  constructor(private readonly addressCode: string) {
    if (!/^\d{6}$/.test(addressCode)) throw new Error(`address code must be 6 digits, got ${addressCode}`);
  }

  issue(rng: Rng, birthDate: string, gender: Gender): string {
    const date = birthDate.replaceAll('-', '');
    for (let attempt = 0; attempt < 2000; attempt++) {
      const seq = rng.int(0, 499) * 2 + (gender === 'MALE' ? 1 : 0);
      const first17 = `${this.addressCode}${date}${String(seq).padStart(3, '0')}`;
      const id = `${first17}${nationalIdCheckChar(first17)}`;
      if (this.issued.has(id)) continue;
      this.issued.add(id);
      // The platform's own reading of the number must agree with what it was made from.
      const facts = parseNationalId(id);
      if (facts.birthDate !== birthDate || facts.gender !== gender)
        throw new Error(`generated ID number disagrees with ${birthDate} ${gender}`);
      return id;
    }
    throw new Error(`no unused ID number left for ${birthDate} in ${this.addressCode}`);
  }
}
