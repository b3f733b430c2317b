// The LSP adapter: documents, settings, debounced validation, and request wiring over the
// language service. Runs under VS Code (IPC) or standalone: `node dist/server.js --stdio`.

import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DocumentDiagnosticReportKind,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isProsodyLine } from './service/catalog/versions';
import { createLanguageService, DEFAULT_SETTINGS, type ServiceSettings } from './service';
import { cleanRuleMap } from './service/settings';

/** Settings as VS Code sends them (section `prosodySsl`), checked field by field. */
function toSettings(raw: unknown, fallback: ServiceSettings): ServiceSettings {
  if (!raw || typeof raw !== 'object') return fallback;
  const r = raw as { prosodyVersion?: unknown; rules?: unknown; validate?: unknown };
  return {
    prosodyVersion: isProsodyLine(r.prosodyVersion) ? r.prosodyVersion : fallback.prosodyVersion,
    rules: cleanRuleMap(r.rules),
    validate: typeof r.validate === 'boolean' ? r.validate : true,
  };
}

const VALIDATION_DELAY_MS = 200;

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const service = createLanguageService();
  const settingsCache = new Map<string, Promise<ServiceSettings>>();
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  let canPullConfiguration = false;
  // With pull diagnostics the client asks when it wants them (and cancels stale requests itself).
  let pullDiagnostics = false;
  let globalSettings: ServiceSettings = DEFAULT_SETTINGS;

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    pullDiagnostics = params.capabilities.textDocument?.diagnostic !== undefined;
    globalSettings = toSettings(params.initializationOptions, DEFAULT_SETTINGS);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['"', "'", '{', ',', ':', '!', '+'], resolveProvider: false },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        diagnosticProvider: pullDiagnostics ? { interFileDependencies: false, workspaceDiagnostics: false } : undefined,
      },
      serverInfo: { name: 'prosody-ssl' },
    };
  });

  connection.onInitialized(() => {
    if (canPullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'prosodySsl' });
  });

  function settingsFor(uri: string): Promise<ServiceSettings> {
    if (!canPullConfiguration) return Promise.resolve(globalSettings);
    let s = settingsCache.get(uri);
    if (!s) {
      s = connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'prosodySsl' })
        .then((c: unknown) => toSettings(c, DEFAULT_SETTINGS))
        .catch(() => globalSettings);
      settingsCache.set(uri, s);
    }
    return s;
  }

  connection.onDidChangeConfiguration((change) => {
    settingsCache.clear();
    const s = (change.settings as { prosodySsl?: unknown } | undefined)?.prosodySsl;
    if (s) globalSettings = toSettings(s, globalSettings);
    if (pullDiagnostics) void connection.languages.diagnostics.refresh();
    for (const doc of documents.all()) scheduleValidation(doc, 0);
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
    const settings = await settingsFor(uri);
    const doc = documents.get(uri);
    // Never publish for a version the user has already moved past.
    if (!doc || doc.version !== version) return;
    if (!pullDiagnostics) {
      const diagnostics = runSafe(() => service.doValidation(doc, settings), [], `validating ${uri}`);
      if (documents.get(uri)?.version !== version) return;
      void connection.sendDiagnostics({ uri, version, diagnostics });
    }
    const model = service.getModel(doc);
    void connection.sendNotification('prosodySsl/status', {
      uri,
      prosodyVersion: model.directive?.line ?? settings.prosodyVersion,
      source: model.directive?.line ? 'directive' : 'setting',
    });
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

  documents.onDidOpen((e) => scheduleValidation(e.document, 0));
  documents.onDidChangeContent((e) => scheduleValidation(e.document));
  documents.onDidClose((e) => {
    const t = pending.get(e.document.uri);
    if (t) clearTimeout(t);
    pending.delete(e.document.uri);
    settingsCache.delete(e.document.uri);
    service.forget(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onCompletion(async (params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const settings = await settingsFor(doc.uri);
    return runSafe(() => service.doComplete(doc, params.position, settings), null, 'computing completion', token);
  });

  connection.onHover(async (params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const settings = await settingsFor(doc.uri);
    return runSafe(() => service.doHover(doc, params.position, settings), null, 'computing hover', token);
  });

  connection.languages.diagnostics.on(async (params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const settings = await settingsFor(doc.uri);
    return { kind: DocumentDiagnosticReportKind.Full, items: runSafe(() => service.doValidation(doc, settings), [], `validating ${doc.uri}`, token) };
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
