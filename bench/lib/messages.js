// Deterministic, varied test messages: message i of seed s is always the same bytes.
// Plain text, multipart/alternative (text + HTML) and multipart/mixed with a base64
// attachment; different senders, recipients, subjects and sizes; CRLF line ends.
import { Buffer } from 'node:buffer';
import { rng, randInt } from './util.js';

const FIRST = ['Alice', 'Bob', 'Carol', 'Dave', 'Erin', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy', 'Mallory',
  'Niaj', 'Olivia', 'Peggy', 'Rupert', 'Sybil', 'Trent', 'Victor', 'Walter', 'Zoë', 'José', 'Ånnika'];
const LAST = ['Anderson', 'Brown', 'Chen', 'Dubois', 'Eriksson', 'Fischer', 'García', 'Hansen', 'Ivanova', 'Jones',
  'Kowalski', 'López', 'Müller', 'Nakamura', 'O\'Brien', 'Petrov', 'Rossi', 'Smith', 'Tanaka', 'Weber'];
const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example.com', 'lists.example.org', 'corp.example'];
const WORDS = ('the of and to in is that for it as was with be by on not he this are or his from at which but have an '
  + 'they you were her she there been one all we their has would when if so no will can more about out up what '
  + 'meeting report budget quarterly project schedule review invoice shipment release deadline agenda draft '
  + 'proposal contract update status server backup network customer support ticket feedback design roadmap '
  + 'holiday lunch office travel hotel flight conference invitation reminder newsletter weekly summary notes')
  .split(' ');
const SUBJECT_PREFIX = ['', '', '', 'Re: ', 'Re: ', 'Fwd: ', 'RE: ', '[team] ', '[announce] '];

/** The word put in the subject of about 1% of messages (i % 100 === 37), for SEARCH SUBJECT. */
export const RARE_SUBJECT_WORD = 'zanzibarquartz';

export function isRareSubject(i) {
  return i % 100 === 37;
}

/** Message-ID of message i (without angle brackets). */
export function messageId(seed, i) {
  return `${seed.toString(36)}.${i.toString(36)}.bench@roost.test`;
}

function pick(rand, list) {
  return list[Math.floor(rand() * list.length)];
}

function person(rand) {
  const first = pick(rand, FIRST);
  const last = pick(rand, LAST);
  const addr = `${first}.${last}`.toLowerCase().normalize('NFD').replace(/[^a-z.]/g, '');
  const display = /^[\x20-\x7e]*$/.test(`${first} ${last}`)
    ? `"${first} ${last}"`
    : `=?UTF-8?B?${Buffer.from(`${first} ${last}`).toString('base64')}?=`;
  return `${display} <${addr}@${pick(rand, DOMAINS)}>`;
}

function sentence(rand, minWords, maxWords) {
  const n = randInt(rand, minWords, maxWords);
  const w = [];
  for (let i = 0; i < n; i++) w.push(pick(rand, WORDS));
  const s = w.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Text of roughly `bytes` bytes, wrapped at ~72 columns, CRLF. */
function textBody(rand, bytes) {
  const lines = [];
  let size = 0;
  let line = '';
  while (size < bytes) {
    const word = pick(rand, WORDS);
    if (line.length + word.length + 1 > 72) {
      lines.push(line);
      size += line.length + 2;
      line = '';
      if (rand() < 0.12) {
        lines.push('');
        size += 2;
      }
    }
    line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\r\n');
}

function base64Block(rand, bytes) {
  const raw = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) raw[i] = Math.floor(rand() * 256);
  return raw.toString('base64').replace(/.{76}/g, '$&\r\n');
}

function rfc2822Date(ms) {
  return new Date(ms).toUTCString().replace(/GMT$/, '+0000');
}

/**
 * Message i of a seeded sequence.
 * @param {number} seed
 * @param {number} i
 * @param {{minSize?: number, maxSize?: number, to?: string}} [opts] sizes in bytes (log-uniform)
 * @returns {Buffer}
 */
export function makeMessage(seed, i, opts = {}) {
  const { minSize = 2048, maxSize = 20480, to } = opts;
  const rand = rng((seed * 1000003 + i * 7919) >>> 0);
  const target = Math.round(minSize * Math.pow(maxSize / minSize, rand()));
  const from = person(rand);
  const rcpt = to ?? person(rand);
  const date = Date.UTC(2024, 0, 1) + i * 61000 + randInt(rand, 0, 60000);
  let subject = pick(rand, SUBJECT_PREFIX) + sentence(rand, 2, 8);
  if (isRareSubject(i)) subject = `${subject} ${RARE_SUBJECT_WORD}`;
  const kind = rand();
  const headers = [
    `Return-Path: <${from.replace(/^.*</, '').replace(/>$/, '')}>`,
    `Received: from mx${randInt(rand, 1, 9)}.example.net (mx.example.net [192.0.2.${randInt(rand, 1, 254)}])\r\n`
      + `\tby mail.roost.test with ESMTPS id ${i.toString(36)}x${seed}; ${rfc2822Date(date + 2000)}`,
    `From: ${from}`,
    `To: ${rcpt}`,
    ...(rand() < 0.3 ? [`Cc: ${person(rand)}, ${person(rand)}`] : []),
    `Subject: ${subject}`,
    `Date: ${rfc2822Date(date)}`,
    `Message-ID: <${messageId(seed, i)}>`,
    ...(i > 0 && rand() < 0.3 ? [`In-Reply-To: <${messageId(seed, randInt(rand, 0, i - 1))}>`] : []),
    'MIME-Version: 1.0',
  ];
  const headerBytes = headers.join('\r\n').length + 200;
  const bodyBytes = Math.max(200, target - headerBytes);
  let body;
  if (kind < 0.6) {
    headers.push('Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit');
    body = textBody(rand, bodyBytes);
  } else if (kind < 0.85) {
    const b = `=_alt_${seed}_${i}`;
    const text = textBody(rand, Math.floor(bodyBytes * 0.4));
    const html = `<html><body><p>${textBody(rand, Math.floor(bodyBytes * 0.5)).replace(/\r\n\r\n/g, '</p>\r\n<p>')}</p></body></html>`;
    headers.push(`Content-Type: multipart/alternative; boundary="${b}"`);
    body = [
      'This is a multi-part message in MIME format.',
      `--${b}`, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', text,
      `--${b}`, 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', html,
      `--${b}--`, '',
    ].join('\r\n');
  } else {
    const b = `=_mix_${seed}_${i}`;
    const text = textBody(rand, Math.min(1500, Math.floor(bodyBytes * 0.3)));
    const attachRaw = Math.max(64, Math.floor((bodyBytes - text.length - 300) * 0.74));
    const name = `${pick(rand, WORDS)}-${i}.${pick(rand, ['pdf', 'png', 'zip', 'docx'])}`;
    headers.push(`Content-Type: multipart/mixed; boundary="${b}"`);
    body = [
      `--${b}`, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', text,
      `--${b}`, `Content-Type: application/octet-stream; name="${name}"`,
      `Content-Disposition: attachment; filename="${name}"`, 'Content-Transfer-Encoding: base64', '',
      base64Block(rand, attachRaw),
      `--${b}--`, '',
    ].join('\r\n');
  }
  return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body}\r\n`, 'utf8');
}
