import { bad, no, ok, type CommandSpec } from '../context.js';

/**
 * RFC 4978 COMPRESS=DEFLATE. The tagged OK goes out uncompressed, then the session turns on raw DEFLATE
 * both ways (§3: "compress starting immediately after the CRLF which ends the tagged OK"); bytes the
 * client already sent after the command are run through the inflater. COMPRESS is a parsing barrier in
 * the session, so nothing after it is read as plain text.
 */
export const compress = {
  name: 'COMPRESS',
  states: ['authenticated', 'selected'],
  async run(ctx, cmd) {
    if (cmd.algorithm !== 'DEFLATE') return bad(`Unknown compression mechanism ${cmd.algorithm}`);
    // §3 allows NO [COMPRESSIONACTIVE] (or BAD) when compression is on already; the code tells the client why.
    if (ctx.compressed) return no('DEFLATE is active already', { code: 'COMPRESSIONACTIVE' });
    return { ...ok('DEFLATE active'), after: () => ctx.startCompression() };
  },
} as const satisfies CommandSpec<'COMPRESS'>;
