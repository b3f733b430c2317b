// Rule.readsOtherChunks is asked on every keystroke. Where its answer reads the global section alone, it is kept
// with the global chunk (ChunkMemo) per Prosody line: typing in a host then costs a lookup, not a pass over the
// global settings.
import type { ProsodyLine } from '../catalog';
import { ChunkMemo } from '../model/chunkMemo';
import type { ConfigDocument } from '../model/document';
import type { ParsedConfig } from '../model/parse';

type Verdict = boolean | 'global';

/** `test` of the global settings, as a readsOtherChunks answer, worked out once per global chunk and line. */
export function globalVerdict(test: (global: ParsedConfig, line: ProsodyLine) => Verdict): (model: ConfigDocument, line: ProsodyLine) => Verdict {
  const memo = new ChunkMemo<Map<ProsodyLine, Verdict>>(() => new Map());
  return (model, line) => {
    const global = model.globalConfig;
    if (!global) return false;
    // Without chunks (a whole parse) there is nothing to key by.
    if (!model.parts) return test(global, line);
    const byLine = memo.of(model.parts[0]!, model.text);
    let v = byLine.get(line);
    if (v === undefined) byLine.set(line, (v = test(global, line)));
    return v;
  };
}
