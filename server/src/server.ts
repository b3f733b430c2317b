// The LSP adapter: documents, settings, debounced validation, and request wiring over the
// language service. Runs under VS Code (IPC) or standalone: `node dist/server.js --stdio`.

import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  FileChangeType,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type Diagnostic,
  type InitializeResult,
  type Position,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver/node';
import { isDeepStrictEqual } from 'node:util';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lineOf } from './service/catalog/versions';
import { createLanguageService, DEFAULT_SETTINGS, SYMBOL_LIMIT, type ServiceSettings } from './service';
import { carryOver } from './service/carryOver';
import { cleanRuleMap } from './service/settings';
import { URI } from 'vscode-uri';
import { FileCache } from './service/files';
import { collectWhenIdle } from './idleCollect';
import { isCheckFilesMode, mainConfigVersion, type FileEnv } from './service/fileEnv';
import { findDirective } from './service/model/document';
import { mergeSettings, parseSettingsObject, SettingsFileLoader, settingsFileDiagnostics, SETTINGS_FILE_NAME, type SettingsFileResult } from './service/settingsFile';

/**
 * Settings as the client sends them (section `prosodySsl`, or initialization options), checked field by field; what
 * is absent or unusable is `fallback`'s. `warn` hears what was dropped and which rule ids are unknown, as the CLI says.
 */
function toSettings(raw: unknown, fallback: ServiceSettings, warn: (message: string) => void): ServiceSettings {
  if (!raw || typeof raw !== 'object') return fallback;
  const r = raw as { prosodyVersion?: unknown; rules?: unknown; validate?: unknown; checkFiles?: unknown };
  for (const w of parseSettingsObject(r, 'prosodySsl settings', false).warnings) warn(w);
  return {
    prosodyVersion: lineOf(r.prosodyVersion) ?? fallback.prosodyVersion,
    rules: r.rules === undefined || r.rules === null ? fallback.rules : cleanRuleMap(r.rules),
    validate: typeof r.validate === 'boolean' ? r.validate : (fallback.validate ?? true),
    checkFiles: isCheckFilesMode(r.checkFiles) ? r.checkFiles : (fallback.checkFiles ?? 'auto'),
  };
}

/**
 * Applies a didChange the way the client meant it. A range past the end (Neovim appends at `(lineCount, 0)`)
 * made vscode-languageserver-textdocument's line table go wrong, and every later edit landed elsewhere:
 * ranges are brought inside the text first, one change at a time, as each applies to the text before it.
 */
function updateClamped(doc: TextDocument, changes: TextDocumentContentChangeEvent[], version: number): TextDocument {
  let d = doc;
  for (const c of changes) {
    if (!('range' in c)) {
      d = TextDocument.update(d, [c], version);
      continue;
    }
    const at = (p: Position): Position => d.positionAt(d.offsetAt(p));
    d = TextDocument.update(d, [{ range: { start: at(c.range.start), end: at(c.range.end) }, text: c.text }], version);
  }
  return d === doc ? TextDocument.update(doc, [], version) : d;
}

const VALIDATION_DELAY_MS = 200;
/**
 * How long rule diagnostics wait for the file checks of the same version. Past it they are published with the
 * file diagnostics of the previous run carried over (see carryOver), so a slow disk or a huge certificates
 * directory does not hold back what the rules say; the full set follows. Shorter waits would publish twice on
 * ordinary configs and make the file diagnostics flicker.
 */
const FILE_CHECK_GRACE_MS = 300;

/**
 * Certificates outside the workspace (/etc/prosody/certs, a Let's Encrypt `live/` symlink) fire no watcher event,
 * so the file checks of open documents run again this often, and report only when their answer changed. With the
 * file findings kept between runs (incrementalFileChecks.ts) a run is about one stat per file the config names; the
 * next round waits at least ten times as long as the last one took.
 */
const FILE_RECHECK_MS = 5_000;

/**
 * Resolves after three turns of the event loop: the connection reads the socket in a turn's poll phase (a message's
 * header and body may come in two reads) and handles each message it has read in a `setImmediate` of its own, so a
 * didChange or a cancel the client sent before this point is handled by then (a protocol test: with two turns, one
 * pull in ten still answered for the version the client had left).
 */
function handledSoFar(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(() => setImmediate(resolve))));
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments({ create: TextDocument.create, update: updateClamped });
  const service = createLanguageService();
  const settingsCache = new Map<string, Promise<ServiceSettings>>();
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  // The file diagnostics last published per document, with the text and generation they were computed for.
  const lastFiles = new Map<string, { text: string; generation: number; diagnostics: Diagnostic[] }>();
  // Which open of a document a run is for: a reopened document starts its versions over.
  const openedAs = new Map<string, number>();
  let opens = 0;
  /** Whether the document is still at this version of the open it is now in (a reopen starts versions over). */
  const stillAt = (uri: string, version: number): (() => boolean) => {
    const opened = openedAs.get(uri);
    return () => documents.get(uri)?.version === version && openedAs.get(uri) === opened;
  };
  let canPullConfiguration = false;
  // What the client says it supports: requests it did not declare are not sent (some answer them with an error).
  let canRegisterConfiguration = false;
  let canRegisterWatchers = false;
  let canRefreshDiagnostics = false;
  // Bumped when settings or watched files change: a validation started before must not publish after it.
  let generation = 0;
  // With pull diagnostics the client asks when it wants them (and cancels stale requests itself).
  let pullDiagnostics = false;
  let globalSettings: ServiceSettings = DEFAULT_SETTINGS;
  // The initialization options: what a client's settings leave out falls back to these, not to older settings.
  let initSettings: ServiceSettings = DEFAULT_SETTINGS;
  // Settings are read again per document and on every change: each problem with them (and each outline cut at its
  // limit) is logged once.
  const logged = new Set<string>();
  const logOnce = (m: string, level: 'warn' | 'info' = 'warn'): void => {
    if (logged.has(m)) return;
    logged.add(m);
    connection.console[level](`prosody-ssl: ${m}`);
  };
  const warnOnce = (m: string): void => logOnce(m);
  // File features: one cache shared by links, hover and diagnostics; Restricted Mode limits reads to the workspace.
  const fileCache = new FileCache();
  let trusted = true;
  let workspaceFolders: string[] = [];
  const fileEnv = (settings: ServiceSettings): FileEnv => ({ fileCache, trusted, workspaceFolders, checkFiles: settings.checkFiles, now: new Date() });

  connection.onInitialize((params): InitializeResult => {
    const workspace = params.capabilities.workspace;
    canPullConfiguration = workspace?.configuration === true;
    canRegisterConfiguration = workspace?.didChangeConfiguration?.dynamicRegistration === true;
    canRegisterWatchers = workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    canRefreshDiagnostics = workspace?.diagnostics?.refreshSupport === true;
    pullDiagnostics = params.capabilities.textDocument?.diagnostic !== undefined;
    globalSettings = initSettings = toSettings(params.initializationOptions, DEFAULT_SETTINGS, warnOnce);
    trusted = (params.initializationOptions as { trusted?: unknown } | undefined)?.trusted !== false;
    workspaceFolders = (params.workspaceFolders ?? []).map((f) => URI.parse(f.uri)).filter((u) => u.scheme === 'file').map((u) => u.fsPath);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['"', "'", '{', ',', ':', '!', '+'], resolveProvider: false },
        hoverProvider: true,
        documentSymbolProvider: { label: 'Prosody' },
        documentLinkProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        diagnosticProvider: pullDiagnostics ? { interFileDependencies: false, workspaceDiagnostics: false } : undefined,
      },
      serverInfo: { name: 'prosody-ssl' },
    };
  });

  connection.onInitialized(() => {
    setTimeout(() => void recheckFiles(), FILE_RECHECK_MS).unref();
    // A client's error answer must not become an unhandled rejection (Node ends the process on one).
    if (canRegisterConfiguration) connection.client.register(DidChangeConfigurationNotification.type, { section: 'prosodySsl' }).catch(() => undefined);
    // VS Code's client watches these itself (synchronize.fileEvents); other clients may register dynamically.
    if (canRegisterWatchers) connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{pem,crt,key}' }, { globPattern: `**/${SETTINGS_FILE_NAME}` }, { globPattern: '**/prosody.cfg.lua' }] }).catch(() => undefined);
  });

  function revalidateAll(): void {
    generation++;
    if (pullDiagnostics && canRefreshDiagnostics) connection.languages.diagnostics.refresh().catch(() => undefined);
    for (const doc of documents.all()) scheduleValidation(doc, 0);
  }

  connection.onDidChangeWatchedFiles((params) => {
    for (const c of params.changes) {
      const u = URI.parse(c.uri);
      if (u.scheme === 'file') fileCache.invalidate(u.fsPath);
      // A main config changed on disk: its version comment may reach the files it Includes.
      if (u.path.endsWith('/prosody.cfg.lua')) settingsCache.clear();
      if (u.path.endsWith(`/${SETTINGS_FILE_NAME}`)) {
        settingsFiles.clear();
        settingsCache.clear();
        // A removed file says nothing any more (a changed one is said again as the configs are checked).
        if (c.type === FileChangeType.Deleted && settingsFileSaid.delete(u.fsPath)) void connection.sendDiagnostics({ uri: c.uri, diagnostics: [] });
      }
    }
    revalidateAll();
  });

  connection.onNotification('prosodySsl/workspaceTrusted', () => {
    trusted = true;
    revalidateAll();
  });

  // A `.prosody-ssl.json` beside the config (or above it, up to the repository root) overrides editor settings.
  const settingsFiles = new SettingsFileLoader();
  // Per document: the .prosody-ssl.json that set its Prosody version, for the status (read with its settings).
  const versionFiles = new Map<string, string>();
  function withFile(uri: string, base: ServiceSettings): ServiceSettings {
    versionFiles.delete(uri);
    const u = URI.parse(uri);
    if (u.scheme !== 'file') return base;
    const r = settingsFiles.forConfig(u.fsPath);
    if (!r) return base;
    reportSettingsFile(r);
    if (!r.ok) return base;
    if (r.settings.prosodyVersion) versionFiles.set(uri, r.path);
    return mergeSettings(base, r.settings);
  }

  // Per settings file: what was last said about it (its diagnostics, once in the log), so each is said once per change.
  const settingsFileSaid = new Map<string, string>();
  function reportSettingsFile(r: SettingsFileResult): void {
    const diagnostics = settingsFileDiagnostics(r);
    const key = JSON.stringify(diagnostics);
    if (settingsFileSaid.get(r.path) === key) return;
    if (!diagnostics.length && !settingsFileSaid.has(r.path)) return;
    settingsFileSaid.set(r.path, key);
    for (const d of diagnostics) connection.console.warn(`prosody-ssl: ${r.path}: ${d.message}`);
    void connection.sendDiagnostics({ uri: URI.file(r.path).toString(), diagnostics });
  }

  // Per document included by a main config whose version comment names the Prosody line: that file, for the status.
  const versionMains = new Map<string, string>();
  /** A main config's version comment reaches the files it Includes (over .prosody-ssl.json and the editor setting). */
  async function withMain(uri: string, s: ServiceSettings): Promise<ServiceSettings> {
    versionMains.delete(uri);
    const open = (file: string): string | undefined => documents.all().find((d) => URI.parse(d.uri).fsPath === file)?.getText();
    const m = await mainConfigVersion(uri, open).catch(() => undefined);
    if (!m) return s;
    versionMains.set(uri, m.file);
    return { ...s, prosodyVersion: m.line };
  }

  // The version comment last seen in each open main config: a change re-judges the files it Includes.
  const mainDirectives = new Map<string, string | undefined>();
  function noteMainDirective(doc: TextDocument): void {
    if (!doc.uri.endsWith('/prosody.cfg.lua')) return;
    const line = findDirective(doc.getText())?.line;
    const had = mainDirectives.has(doc.uri);
    if (had && mainDirectives.get(doc.uri) === line) return;
    mainDirectives.set(doc.uri, line);
    if (!had) return;
    settingsCache.clear();
    revalidateAll();
  }

  function settingsFor(uri: string): Promise<ServiceSettings> {
    let s = settingsCache.get(uri);
    if (!s) {
      s = canPullConfiguration
        ? connection.workspace
            .getConfiguration({ scopeUri: uri, section: 'prosodySsl' })
            // What the client leaves unset comes from the initialization options (Neovim, Helix send those).
            .then((c: unknown) => (c && typeof c === 'object' ? toSettings(c, initSettings, warnOnce) : globalSettings))
            .catch(() => globalSettings)
            .then((base) => withMain(uri, withFile(uri, base)))
        : withMain(uri, withFile(uri, globalSettings));
      settingsCache.set(uri, s);
    }
    return s;
  }

  connection.onDidChangeConfiguration((change) => {
    settingsCache.clear();
    const s = (change.settings as { prosodySsl?: unknown } | undefined)?.prosodySsl;
    if (s) globalSettings = toSettings(s, initSettings, warnOnce);
    revalidateAll();
  });

  function scheduleValidation(doc: TextDocument, delay = VALIDATION_DELAY_MS): void {
    const prev = pending.get(doc.uri);
    if (prev) clearTimeout(prev);
    pending.set(
      doc.uri,
      setTimeout(() => {
        pending.delete(doc.uri);
        void validate(doc.uri, doc.version);
      }, delay),
    );
  }

  async function validate(uri: string, version: number): Promise<void> {
    const started = generation;
    const current = stillAt(uri, version);
    const settings = await settingsFor(uri);
    const doc = documents.get(uri);
    // Never publish for a version the user has already moved past, nor with settings already replaced (the
    // validation the change scheduled publishes instead), nor for a document closed and opened again since (its
    // versions start over: a reviewer saw the closed text's findings published last). The file checks poll the
    // same test between awaits and stop, so runs for old versions do not pile up while the user types.
    const stale = (): boolean => !current() || started !== generation;
    if (!doc || stale()) return;
    const status = (): void => {
      const model = service.getModel(doc);
      // A .prosody-ssl.json that names the version overrides the editor setting (see withFile).
      const settingsFile = versionFiles.get(uri);
      const mainFile = versionMains.get(uri);
      const own = model.directive?.line !== undefined;
      void connection.sendNotification('prosodySsl/status', {
        uri,
        prosodyVersion: model.directive?.line ?? settings.prosodyVersion,
        source: own ? 'directive' : mainFile ? 'main' : settingsFile ? 'file' : 'setting',
        ...(settingsFile && !own && !mainFile ? { settingsFile } : {}),
        ...(mainFile && !own ? { mainFile } : {}),
      });
    };
    if (pullDiagnostics) return status();
    const rules = runSafe(() => service.doValidation(doc, settings), [], `validating ${doc.uri}`);
    const files = fileDiagnostics(doc, settings, stale);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const quick = await Promise.race([files, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), FILE_CHECK_GRACE_MS)))]);
    clearTimeout(timer);
    if (stale()) return;
    const text = doc.getText();
    if (!quick) {
      // The file checks are slow: the rules now, with the last file diagnostics that still fit this text.
      const last = lastFiles.get(uri);
      const carried = last && last.generation === started ? carryOver(last.text, text, last.diagnostics) : [];
      void connection.sendDiagnostics({ uri, version, diagnostics: [...rules, ...carried] });
      status();
    }
    const fileDiags = quick ?? (await files);
    if (stale()) return;
    lastFiles.set(uri, { text, generation: started, diagnostics: fileDiags });
    void connection.sendDiagnostics({ uri, version, diagnostics: [...rules, ...fileDiags] });
    if (quick) status();
    collectWhenIdle(text.length);
  }

  /** One round of FILE_RECHECK_MS: documents whose last file diagnostics are current and no check is due. */
  async function recheckFiles(): Promise<void> {
    const began = Date.now();
    try {
      for (const doc of documents.all()) {
        const uri = doc.uri;
        const last = lastFiles.get(uri);
        if (!last || pending.has(uri) || last.generation !== generation || last.text !== doc.getText()) continue;
        const version = doc.version;
        const started = generation;
        const current = stillAt(uri, version);
        const stale = (): boolean => !current() || started !== generation || pending.has(uri);
        const settings = await settingsFor(uri);
        const files = await fileDiagnostics(doc, settings, stale);
        // Compared in place: two JSON texts of thousands of findings every 5 s were the idle server's largest garbage.
        if (stale() || isDeepStrictEqual(files, last.diagnostics)) continue;
        lastFiles.set(uri, { text: last.text, generation: started, diagnostics: files });
        if (pullDiagnostics) {
          if (canRefreshDiagnostics) connection.languages.diagnostics.refresh().catch(() => undefined);
        } else {
          const rules = runSafe(() => service.doValidation(doc, settings), [], `validating ${uri}`);
          void connection.sendDiagnostics({ uri, version, diagnostics: [...rules, ...files] });
        }
      }
    } catch (e) {
      connection.console.error(`prosody-ssl: error while re-checking files: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setTimeout(() => void recheckFiles(), Math.max(FILE_RECHECK_MS, 10 * (Date.now() - began))).unref();
    }
  }

  /** The file diagnostics of one document version; `stale` stops the run early (its result is then discarded). */
  async function fileDiagnostics(doc: TextDocument, settings: ServiceSettings, stale: () => boolean): Promise<Diagnostic[]> {
    try {
      const env: FileEnv = { ...fileEnv(settings), cancelled: stale };
      return await service.doFileValidation(doc, settings, env);
    } catch (e) {
      connection.console.error(`prosody-ssl: error while checking files of ${doc.uri}: ${e instanceof Error ? e.message : String(e)}`);
      return [];
    }
  }

  function runSafe<T>(fn: () => T, fallback: T, what: string, token?: CancellationToken): T {
    if (token?.isCancellationRequested) return fallback;
    try {
      return fn();
    } catch (e) {
      connection.console.error(`prosody-ssl: error while ${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fallback;
    }
  }

  // TextDocuments reports an open as a content change too: that one must not push the first check back by
  // the typing delay.
  const opening = new Set<string>();
  documents.onDidOpen((e) => {
    openedAs.set(e.document.uri, ++opens);
    opening.add(e.document.uri);
    scheduleValidation(e.document, 0);
  });
  documents.onDidChangeContent((e) => {
    noteMainDirective(e.document);
    if (!opening.delete(e.document.uri)) scheduleValidation(e.document);
  });
  documents.onDidClose((e) => {
    const t = pending.get(e.document.uri);
    if (t) clearTimeout(t);
    pending.delete(e.document.uri);
    lastFiles.delete(e.document.uri);
    openedAs.delete(e.document.uri);
    settingsCache.delete(e.document.uri);
    versionFiles.delete(e.document.uri);
    versionMains.delete(e.document.uri);
    // A main config closed: the files it Includes read its version comment from disk again (its last edit may be unsaved).
    if (mainDirectives.delete(e.document.uri)) {
      settingsCache.clear();
      revalidateAll();
    }
    service.forget(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  /**
   * The common start of an interactive request: the document, its settings and its model. The model is
   * built (or fetched) first because that is the costly part on a new version; then messages already
   * received — a $/cancelRequest right behind the request — are read before the answer is computed.
   */
  async function prepare(uri: string, token: CancellationToken): Promise<{ doc: TextDocument; settings: ServiceSettings } | undefined> {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const settings = await settingsFor(doc.uri);
    // The outline too: requests read the cursor's context from it, and it is built on first use.
    runSafe(() => service.getModel(doc).outline, undefined, 'building the model');
    await new Promise((resolve) => setImmediate(resolve));
    return token.isCancellationRequested ? undefined : { doc, settings };
  }

  connection.onCompletion(async (params, token) => {
    const r = await prepare(params.textDocument.uri, token);
    return r ? runSafe(() => service.doComplete(r.doc, params.position, r.settings), null, 'computing completion', token) : null;
  });

  connection.onHover(async (params, token) => {
    const r = await prepare(params.textDocument.uri, token);
    if (!r) return null;
    const { doc, settings } = r;
    // A file path gets the file's details; everything else the catalog documentation.
    try {
      const fileHover = await service.doFileHover(doc, params.position, settings, fileEnv(settings));
      if (fileHover) return fileHover;
    } catch (e) {
      connection.console.error(`prosody-ssl: error while computing file hover: ${e instanceof Error ? e.message : String(e)}`);
    }
    return runSafe(() => service.doHover(doc, params.position, settings), null, 'computing hover', token);
  });

  connection.onDocumentLinks(async (params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    try {
      return await service.doDocumentLinks(doc, { cancelled: () => token.isCancellationRequested });
    } catch (e) {
      connection.console.error(`prosody-ssl: error while computing links: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
  });

  connection.languages.diagnostics.on(async (params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const settings = await settingsFor(doc.uri);
    const version = doc.version;
    const current = stillAt(doc.uri, version);
    const moved = (): boolean => !current();
    // A cancelled request is answered at once (the file checks poll the token between awaits and stop).
    const cancelled = (): ResponseError<void> => new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
    if (token.isCancellationRequested) throw cancelled();
    const rules = runSafe(() => service.doValidation(doc, settings), [], `validating ${doc.uri}`, token);
    const started = generation;
    const files = await fileDiagnostics(doc, settings, () => token.isCancellationRequested || moved());
    // Messages that arrived while this ran (a didChange, the client's cancel) are handled before it answers: the
    // file checks often resolve without a turn of the event loop, and the answer then described a version the
    // client had already left (a reviewer saw such errors in a real editor after typing stopped).
    await handledSoFar();
    if (token.isCancellationRequested) throw cancelled();
    // The document moved on while files were read: ask the client to pull again rather than report stale ranges.
    if (moved()) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'document changed', { retriggerRequest: true });
    lastFiles.set(doc.uri, { text: doc.getText(), generation: started, diagnostics: files });
    collectWhenIdle(doc.getText().length);
    return { kind: DocumentDiagnosticReportKind.Full, items: [...rules, ...files] };
  });

  connection.onDocumentSymbol((params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const cut = (uri: string): void => logOnce(`the outline of ${uri} lists its first ${SYMBOL_LIMIT} entries (hosts first): the file has more.`, 'info');
    return runSafe(() => service.doDocumentSymbols(doc, { onResultLimitExceeded: cut }), null, 'listing symbols', token);
  });

  connection.onCodeAction((params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    return runSafe(() => service.doCodeActions(doc, params.context.diagnostics), null, 'computing code actions', token);
  });

  documents.listen(connection);
  connection.listen();
}

// Entry point: `vscode-languageserver/node` picks the transport from argv (--stdio, --node-ipc, --socket=N).
if (require.main === module) {
  const connection = createConnection(ProposedFeatures.all);
  startServer(connection);
}
