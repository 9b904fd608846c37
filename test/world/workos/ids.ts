/** Ids, tokens and timestamps shaped like WorkOS's. */
import { randomBytes, randomInt } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let lastUlidMs = 0;
let ulidSeq = 0;
/** ULID-like id (time-ordered, 26 Crockford chars), as WorkOS ids look: `user_01H…`. */
export function newId(prefix: string): string {
  let ms = Date.now();
  if (ms <= lastUlidMs) {
    ms = lastUlidMs;
    ulidSeq++;
  } else {
    lastUlidMs = ms;
    ulidSeq = 0;
  }
  let time = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  // 4 chars of sequence keep ids ordered within one millisecond, then 12 random chars.
  let seq = '';
  let s = ulidSeq;
  for (let i = 0; i < 4; i++) {
    seq = CROCKFORD[s % 32] + seq;
    s = Math.floor(s / 32);
  }
  let rand = '';
  for (let i = 0; i < 12; i++) rand += CROCKFORD[randomInt(32)];
  return `${prefix}_${time}${seq}${rand}`;
}

export const nowIso = () => new Date().toISOString();
export const randomToken = (bytes = 24) => randomBytes(bytes).toString('base64url');
