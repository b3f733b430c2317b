// Every real config in ../shared/corpus is modelled without a crash: parsed (or one clear syntax
// error for templates), outlined, and answers completion and hover at every line start.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService } from '../../server/src/service';
import { tlsTables } from '../../server/src/service/model/tls';

const CORPUS = process.env['PROSODY_CORPUS_DIR'] ?? path.resolve(__dirname, '../../../../shared/corpus');

function sources(): Map<string, { kind: string; parses: string }> {
  const rows = readFileSync(path.join(CORPUS, 'SOURCES.tsv'), 'utf8').trim().split('\n').slice(1);
  return new Map(rows.map((r) => r.split('\t')).map((c) => [c[0]!, { kind: c[4]!, parses: c[6]! }]));
}

describe('corpus: every config is modelled', () => {
  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.cfg.lua')).sort();
  const meta = sources();
  it('finds the corpus (40 files)', () => assert.equal(files.length, 40));

  for (const f of files) {
    it(f, () => {
      const text = readFileSync(path.join(CORPUS, f), 'utf8');
      const doc = TextDocument.create(`file:///corpus/${f}`, 'prosody', 1, text);
      const service = createLanguageService();
      const model = service.getModel(doc);
      const m = meta.get(f)!;
      const expectParse = m.parses === 'ok' || m.parses === 'n/a:ok';
      assert.equal(model.parse.ok, expectParse, model.parse.ok ? 'parsed' : model.parse.error.message);
      if (!model.parse.ok) assert.equal(service.doValidation(doc).filter((d) => d.code === 'syntax-error').length, 1);
      if (model.parse.ok && /\bssl\s*=\s*\{/.test(text) && !text.includes('VirtualHost = ')) {
        assert.ok(tlsTables(model.parse.config).length > 0, 'has an ssl table');
      }
      for (let line = 0; line < doc.lineCount; line++) {
        const pos = { line, character: 0 };
        service.doComplete(doc, pos);
        service.doHover(doc, { line, character: 2 });
      }
    });
  }
});
