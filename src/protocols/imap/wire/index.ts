/**
 * The pure IMAP wire layer: incremental command parser, typed commands, response serializer.
 * Nothing here touches storage or sockets.
 */
export { ImapParser, type ParseEvent, type ParserMode, type ParserOptions } from './parser.js';
export { parseCommand, isKnownCommand, type ParseOutcome } from './commands.js';
export { WireError, type FramedCommand, type GrammarOptions } from './reader.js';
export { ResponseWriter, serializeResponse, responseToBuffer, threadList } from './serialize.js';
export { writeFetch, type Sink } from './fetch-response.js';
export { formatSection, mailboxName } from './format.js';
export { encodeMutf7, decodeMutf7 } from './mutf7.js';
export { decodeBase64Strict } from './auth.js';
export { formatDateTime, formatSearchDate, parseDateTime, parseSearchDate } from './datetime.js';
export {
  compressUids,
  formatSequenceSet,
  iterateSequenceSet,
  maxExplicitNumber,
  parseSequenceSet,
  seqSetContains,
  seqSetIntervals,
  seqSetMatcher,
  sequenceSetFromNumbers,
  usesStar,
  type Interval,
  type SeqNumber,
  type SeqRange,
  type SequenceSet,
} from './sequence-set.js';
export type * from './types.js';
export type * from './responses.js';
