// File-inspection layer: looks at the certificate, key and DH-parameter files a Prosody config names, the way
// Prosody would. Pure library (no editor APIs); every function is total and returns tagged results.
//
//   Paths      resolveRelativePath, mainConfigDir, certificatesDir, candidateCertPaths, classifyDhparam (paths.ts)
//   Lookup     findHostCert, indexCertificates, findInIndex — Prosody's automatic certificate search (lookup.ts)
//   Asking     askAtOnce — a few disk questions at a time (atOnce.ts)
//   Reading    safeReadFile — bounded, never blocks on devices/FIFOs; FileCache keyed by path+mtime+size (read.ts, cache.ts)
//   Inspection inspectCertificate, certCoversHost/matchCertName, inspectKey, keyMatchesCert, inspectDhParams (inspect.ts)
//
// Private-key bytes are read (they must be, to compare a key with its certificate) but never appear in a result,
// an error message or a log line. Time-dependent results take an injectable `now`.
export * from './fs';
export type { Readable } from './readableAs';
export * from './paths';
export * from './read';
export * from './cache';
export * from './inspect';
export * from './lookup';
export { isLiteralPem } from './pem';
export { askAtOnce } from './atOnce';
