// The offline verifier of a signed declaration, in the browser: the text's hash, every JWS, each
// entry at its place, the Merkle root against the final seal, and which keys all of it rests on.
// It mirrors app/endorsements/verify.py rule for rule and says what is wrong in the same words,
// so a reader gets the same answer here and from `concord verify`.
import { CertificateProblem, fingerprintOf, leafOf } from "./certificate";
import { hex, pyRepr, pyStr, sha256, utf8 } from "./encoding";
import {
  CHECKPOINT_TYP,
  ENTRY_TYP,
  InvalidSignature,
  isObject,
  keyMatchesKid,
  unverifiedStatement,
  verifySigned,
  type Json,
  type JsonObject,
} from "./jws";
import { entryLeaves, rootHash } from "./merkle";
import { AssertionProblem, verifyAssertion } from "./passkey";

export const BUNDLE_FORMAT = "concord-signed-declaration/1";
const MAX_LISTED = 50;

export interface Signatory {
  seq: number;
  city: JsonObject;
  signer: JsonObject;
  signedAt: string;
  kid: string;
  /** "passkey": the mayor's own authenticator signed the text; else the password confirmed it. */
  method: "password" | "passkey";
}

export interface Withdrawn {
  seq: number;
  city: JsonObject;
  signer: JsonObject;
  signedAt: string;
  withdrawnBy: number;
  withdrawnAt: string;
}

export type Verdict = "valid" | "unproven" | "invalid";

export interface VerificationReport {
  /** No problem found: the bundle is consistent. Whether it is valid depends on `trusted`. */
  ok: boolean;
  /** Checked against keys the reader trusts (the platform's published ones), not the file's own. */
  trusted: boolean;
  verdict: Verdict;
  problems: string[];
  signatories: Signatory[];
  withdrawn: Withdrawn[];
  declaration: { id?: Json; title?: Json; version?: Json; content_hash?: Json } | null;
  entries: number;
  treeSize: number | null;
  rootHash: string | null;
  sealedAt: string | null;
  final: boolean;
  /** Every key used, the seal's and the entries', each once. */
  keys: string[];
  /** The kid that signed the seal, when its signature verifies. */
  sealKey: string | null;
  /** Each kid that signed entries, with how many, in order of first use. */
  entryKeys: [string, number][];
  /** kid → SHA-256 fingerprint of the key's certificate, for the keys used that carry one. */
  certificates: Record<string, string>;
  /** The canonical text, when the bundle carries one. */
  text: string | null;
  /** The origin and RP ID passkey assertions were checked against (the bundle's `platform`). */
  platform: { origin: string; rp_id: string } | null;
  /** Entries whose passkey assertion verifies. */
  passkeyEntries: number;
}

interface Entry {
  position: number;
  token: string;
  seq: number | null;
  statement: JsonObject | null;
  kid: string;
}

function label(entry: Entry): string {
  return `entry ${entry.position}${entry.seq !== null ? ` (seq ${entry.seq})` : ""}`;
}

/** A count JSON can carry between any two programs (I-JSON: at most 2^53 - 1). */
function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isHexHash(value: unknown): value is string {
  return typeof value === "string" && /^[0-9a-f]{64}$/.test(value);
}

export async function contentHashOf(text: string): Promise<string> {
  return `sha256:${hex(await sha256(utf8(text)))}`;
}

const AUTHENTIC_MANIFEST = "concord-authentic-texts/1\n";

/** The fingerprint a mayor signs (app.text.paragraphs.authentic_fingerprint): one text's
 * content_hash, or with authentic translations the content_hash of the manifest of each text's
 * hash, the negotiating language first and the others by tag. */
export async function authenticFingerprint(texts: [string, string][]): Promise<string> {
  const [first, ...others] = texts;
  if (first === undefined) throw new Error("no text");
  if (others.length === 0) return contentHashOf(first[1]);
  others.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  let manifest = AUTHENTIC_MANIFEST;
  for (const [language, text] of [first, ...others]) manifest += `${language} ${await contentHashOf(text)}\n`;
  return contentHashOf(manifest);
}

/** The sealed fingerprint recomputed from the text and every authentic translation; an altered
 * text is named by its language (as `concord verify` does). */
async function checkTexts(bundle: JsonObject, text: string, sealedHash: string, problems: string[]): Promise<void> {
  const translations = bundle.translations ?? {};
  const declaration = isObject(bundle.declaration) ? bundle.declaration : {};
  if (!isObject(translations) || !Object.values(translations).every((t) => typeof t === "string")) {
    problems.push("translations: not an object of language → canonical text");
    return;
  }
  const language = declaration.language ?? "en";
  const texts: [string, string][] = [
    [typeof language === "string" ? language : String(language), text],
    ...Object.entries(translations as Record<string, string>),
  ];
  const computed = await authenticFingerprint(texts);
  if (computed === sealedHash) return;
  const listed = isObject(declaration.texts) ? declaration.texts : {};
  const altered: string[] = [];
  // One text is named as the text; of several, those that no longer hash as listed.
  if (texts.length > 1) {
    for (const [lang, t] of texts) if (listed[lang] !== (await contentHashOf(t))) altered.push(lang);
  }
  if (altered.length === 0) {
    problems.push(
      `text: its hash ${computed} does not match content_hash ${sealedHash} in the seal (the text was altered)`,
    );
  }
  for (const lang of altered) {
    problems.push(
      `text (${lang}): the ${lang} text does not hash to ${pyStr(listed[lang] ?? null)}, the hash listed for it, ` +
        `and the texts do not match content_hash ${sealedHash} in the seal (the text was altered)`,
    );
  }
}

function capped(messages: string[], rest: string): string[] {
  if (messages.length <= MAX_LISTED) return messages;
  return [...messages.slice(0, MAX_LISTED), `… and ${messages.length - MAX_LISTED} ${rest}`];
}

/** Check a bundle against the keys the reader trusts (`trustedJwks`: the platform's published
 * keys), or with nothing but itself — then the verdict is at best "unproven": anyone can make a
 * consistent bundle with keys of their own. */
export async function verifyBundle(bundle: unknown, trustedJwks?: unknown): Promise<VerificationReport> {
  const report: VerificationReport = {
    ok: false,
    trusted: trustedJwks !== undefined,
    verdict: "invalid",
    problems: [],
    signatories: [],
    withdrawn: [],
    declaration: null,
    entries: 0,
    treeSize: null,
    rootHash: null,
    sealedAt: null,
    final: false,
    keys: [],
    sealKey: null,
    entryKeys: [],
    certificates: {},
    text: null,
    platform: null,
    passkeyEntries: 0,
  };
  const problems = report.problems;
  const finish = () => {
    report.ok = problems.length === 0;
    report.verdict = !report.ok ? "invalid" : report.trusted ? "valid" : "unproven";
    return report;
  };
  if (!isObject(bundle)) {
    problems.push("bundle: not a JSON object");
    return finish();
  }
  const format = "format" in bundle ? bundle.format : BUNDLE_FORMAT;
  if (format !== BUNDLE_FORMAT) problems.push(`format: ${pyRepr(format)} is not ${pyRepr(BUNDLE_FORMAT)}`);

  const jwks = await keySet(bundle, trustedJwks, problems);
  const text = bundle.text;
  if (typeof text !== "string") problems.push("text: missing (the canonical text must be a string)");
  else report.text = text;
  let rawEntries: string[] = [];
  const given = bundle.entries;
  if (!Array.isArray(given) || !given.every((e) => typeof e === "string")) {
    problems.push("entries: missing or not a list of JWS strings");
  } else {
    rawEntries = given as string[];
  }
  report.entries = rawEntries.length;
  if (jwks === null) return finish();

  const seal = await checkSeal(bundle.seal, jwks, problems, report);
  if (seal === null) return finish();
  const treeSize = seal.tree_size as number;
  report.treeSize = treeSize;
  report.rootHash = seal.root_hash as string;
  report.sealedAt = typeof seal.issued_at === "string" ? seal.issued_at : null;
  report.final = seal.final === true;
  if (!report.final) {
    problems.push(
      "seal: a checkpoint that is not final: it covers the entries signed up to it, while signing went on " +
        "(a signed declaration is sealed by the final checkpoint)",
    );
  }
  const sealedHash = seal.content_hash as string;
  if (typeof text === "string") await checkTexts(bundle, text, sealedHash, problems);

  report.platform = platformOf(bundle, problems);
  const refused: string[] = [];
  const entries: Entry[] = [];
  for (let i = 0; i < rawEntries.length; i++) {
    entries.push(await checkEntry(i + 1, rawEntries[i] as string, jwks, seal, refused, report.platform));
  }
  problems.push(...capped(refused, "more entries refused"));
  checkPositions(entries, problems);
  checkSize(entries.length, treeSize, problems);
  await checkRoot(rawEntries, seal, problems);
  checkMetadata(bundle, seal, entries, problems);
  report.declaration = declarationOf(bundle, seal, entries);
  const used = new Map<string, number>();
  for (const entry of entries) {
    if (!entry.statement) continue;
    used.set(entry.kid, (used.get(entry.kid) ?? 0) + 1);
    if (entry.statement.method === "passkey") report.passkeyEntries += 1;
  }
  report.entryKeys = [...used.entries()];
  report.keys = [...new Set([...used.keys(), ...(report.sealKey ? [report.sealKey] : [])])].sort();
  report.certificates = await certificates(jwks, report.keys);
  collectSignatories(entries, report);
  return finish();
}

/** The keys to verify with: the reader's, or else the bundle's own. */
async function keySet(bundle: JsonObject, trusted: unknown, problems: string[]): Promise<JsonObject | null> {
  const keys = await checkedKeys(trusted !== undefined ? trusted : bundle.jwks, trusted !== undefined ? "trusted key set" : "jwks", problems);
  return keys === null ? null : { keys };
}

/** The keys of a JWK Set; each must be named by its thumbprint, and a certificate beside it
 * must be the certificate of that key. */
async function checkedKeys(jwks: unknown, where: string, problems: string[]): Promise<Json[] | null> {
  const keys = isObject(jwks) ? jwks.keys : undefined;
  if (!Array.isArray(keys) || keys.length === 0) {
    problems.push(`${where}: missing or not a JWK Set with keys`);
    return null;
  }
  for (const key of keys) {
    if (!isObject(key) || key.kty !== "EC") continue;
    if (!(await keyMatchesKid(key))) {
      problems.push(`${where}: key ${pyStr(key.kid)} is not named by its RFC 7638 thumbprint`);
    }
    try {
      leafOf(key);
    } catch (error) {
      if (!(error instanceof CertificateProblem)) throw error;
      problems.push(`${where}: key ${pyStr(key.kid)}: ${error.message}`);
    }
  }
  return keys;
}

/** The certificate fingerprint of each key used that carries a certificate of itself. */
async function certificates(jwks: JsonObject, kids: string[]): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const key of jwks.keys as Json[]) {
    if (!isObject(key) || typeof key.kid !== "string" || !kids.includes(key.kid) || key.kid in found) continue;
    const print = await fingerprintOf(key);
    if (print) found[key.kid] = print;
  }
  return found;
}

/** The seal's statement; still returned when its signature fails, to name more problems. */
async function checkSeal(token: unknown, jwks: JsonObject, problems: string[], report: VerificationReport): Promise<JsonObject | null> {
  if (typeof token !== "string") {
    problems.push("seal: missing (the final checkpoint JWS)");
    return null;
  }
  let seal: JsonObject | null;
  try {
    const [header, statement] = await verifySigned(token, jwks, CHECKPOINT_TYP);
    report.sealKey = header.kid as string;
    seal = statement;
  } catch (error) {
    if (!(error instanceof InvalidSignature)) throw error;
    problems.push(`seal: ${error.message}`);
    seal = unverifiedStatement(token);
  }
  if (seal === null || seal.type !== "checkpoint") {
    problems.push("seal: not a checkpoint statement");
    return null;
  }
  const malformed = (
    [
      ["tree_size", isCount(seal.tree_size)],
      ["root_hash", isHexHash(seal.root_hash)],
      ["content_hash", typeof seal.content_hash === "string"],
    ] as const
  )
    .filter(([, valid]) => !valid)
    .map(([name]) => name);
  if (malformed.length > 0) {
    problems.push(`seal: malformed ${malformed.join(", ")}`);
    return null;
  }
  return seal;
}

async function checkEntry(
  position: number,
  token: string,
  jwks: JsonObject,
  seal: JsonObject,
  problems: string[],
  platform: VerificationReport["platform"],
): Promise<Entry> {
  let header: JsonObject;
  let statement: JsonObject;
  try {
    [header, statement] = await verifySigned(token, jwks, ENTRY_TYP);
  } catch (error) {
    if (!(error instanceof InvalidSignature)) throw error;
    const unverified = unverifiedStatement(token);
    const seq = unverified?.seq;
    const entry: Entry = { position, token, seq: isCount(seq) ? seq : null, statement: null, kid: "" };
    problems.push(`${label(entry)}: ${error.message}`);
    return entry;
  }
  const seq = statement.seq;
  const entry: Entry = { position, token, seq: isCount(seq) ? seq : null, statement: null, kid: "" };
  const wrong = statementProblem(statement, seal) ?? (await passkeyProblem(statement, platform));
  if (wrong) {
    problems.push(`${label(entry)}: ${wrong}`);
    return entry;
  }
  entry.statement = statement;
  entry.kid = header.kid as string;
  return entry;
}

function platformOf(bundle: JsonObject, problems: string[]): VerificationReport["platform"] {
  const platform = bundle.platform;
  if (platform === undefined || platform === null) return null;
  if (!isObject(platform) || typeof platform.origin !== "string" || typeof platform.rp_id !== "string") {
    problems.push("platform: not an object with the strings origin and rp_id");
    return null;
  }
  return { origin: platform.origin, rp_id: platform.rp_id };
}

/** An endorsement signed with a passkey carries the authenticator's assertion over the text's
 * fingerprint: check it, against the platform's origin and RP ID. */
async function passkeyProblem(statement: JsonObject, platform: VerificationReport["platform"]): Promise<string | null> {
  const method = statement.method;
  if (method !== undefined && method !== null && method !== "password" && method !== "passkey") {
    return `method ${pyRepr(method)} is neither password nor passkey`;
  }
  if (method !== "passkey" && !("passkey" in statement)) return null;
  if (method !== "passkey" || !isObject(statement.passkey)) return "method and passkey disagree: a passkey entry carries both";
  if (platform === null) {
    return "a passkey assertion, but the bundle names no platform (origin, rp_id) to check it against";
  }
  try {
    await verifyAssertion(statement.passkey, pyStr(statement.content_hash), platform.origin, platform.rp_id);
  } catch (error) {
    if (error instanceof AssertionProblem) return `passkey: ${error.message}`;
    throw error;
  }
  return null;
}

function statementProblem(statement: JsonObject, seal: JsonObject): string | null {
  const kind = statement.type;
  if (kind !== "endorsement" && kind !== "withdrawal") {
    return `type ${pyRepr(kind)} is neither an endorsement nor a withdrawal`;
  }
  const { city, signer, declaration } = statement;
  if (
    !(
      isObject(city) &&
      ((typeof city.id === "number" && Number.isInteger(city.id)) || typeof city.id === "string") &&
      isObject(signer) &&
      isObject(declaration) &&
      isCount(statement.seq) &&
      (kind === "endorsement" || isCount(statement.withdraws))
    )
  ) {
    return "the statement lacks its city, signer, declaration, seq or withdraws";
  }
  if (statement.content_hash !== seal.content_hash) {
    return `signs content_hash ${pyStr(statement.content_hash)}, not the sealed text's ${pyStr(seal.content_hash)}`;
  }
  if (declaration.id !== seal.declaration) {
    return `belongs to declaration ${pyRepr(declaration.id)}, not the sealed declaration ${pyRepr(seal.declaration)}`;
  }
  if (statement.version !== seal.version) {
    return `signs version ${pyStr(statement.version)}, not sealed version ${pyStr(seal.version)}`;
  }
  return null;
}

/** Entry i carries seq i: a dropped, repeated or moved entry is found even when a new seal was
 * signed over what is left. A run of entries off by the same amount is named once. */
function checkPositions(entries: Entry[], problems: string[]): void {
  const misplaced: string[] = [];
  const seen = new Set<number>();
  let run: Entry[] = [];
  const closeRun = () => {
    const first = run[0];
    const last = run[run.length - 1];
    if (first !== undefined && last !== undefined) {
      const where =
        first === last ? label(first) : `entries ${first.position}–${last.position} (seq ${first.seq}–${last.seq})`;
      misplaced.push(`${where}: out of place: entry ${first.position} must carry seq ${first.position}`);
    }
    run = [];
  };
  for (const entry of entries) {
    const seq = entry.seq;
    if (seq === null || seq === entry.position) {
      closeRun();
    } else if (seen.has(seq)) {
      closeRun();
      misplaced.push(`${label(entry)}: repeats an earlier entry (seq ${seq})`);
    } else {
      const previous = run[run.length - 1];
      if (previous !== undefined && seq - entry.position !== (previous.seq as number) - previous.position) closeRun();
      run.push(entry);
    }
    if (seq !== null) seen.add(seq);
  }
  closeRun();
  problems.push(...capped(misplaced, "more entries out of place"));
}

/** As many entries as the seal covers. Said with arithmetic, never by counting up to the seal's
 * tree_size: an unsigned seal can claim any number. */
function checkSize(count: number, treeSize: number, problems: string[]): void {
  if (count < treeSize) {
    const span = count + 1 === treeSize ? `entry ${treeSize} is` : `entries ${count + 1}–${treeSize} are`;
    problems.push(`${span} missing: the log has ${count} entries but the seal covers tree size ${treeSize}`);
  } else if (count > treeSize) {
    problems.push(
      `entries ${treeSize + 1}–${count} are not covered by the seal: the log has ${count} entries but the seal covers tree size ${treeSize}`,
    );
  }
}

async function checkRoot(rawEntries: string[], seal: JsonObject, problems: string[]): Promise<void> {
  const treeSize = seal.tree_size as number;
  if (rawEntries.length < treeSize) return; // the missing entries are already named
  const computed = hex(await rootHash(await entryLeaves(rawEntries.slice(0, treeSize))));
  if (computed !== seal.root_hash) {
    problems.push(
      `seal: root hash ${pyStr(seal.root_hash)} does not match the root of the entries ${computed} ` +
        "(an entry was altered, replaced or reordered, or the seal belongs to another log)",
    );
  }
}

/** The unsigned summary fields must agree with what is signed, so no reader is misled. */
function checkMetadata(bundle: JsonObject, seal: JsonObject, entries: Entry[], problems: string[]): void {
  const declaration = bundle.declaration;
  if (isObject(declaration)) {
    for (const [name, sealedName] of [
      ["id", "declaration"],
      ["version", "version"],
      ["content_hash", "content_hash"],
    ] as const) {
      if (name in declaration && !jsonEqual(declaration[name], seal[sealedName])) {
        problems.push(
          `declaration: ${name} ${pyRepr(declaration[name])} does not match ${pyRepr(seal[sealedName])} in the seal`,
        );
      }
    }
    const signedTitles = new Set(
      entries.filter((e) => e.statement).map((e) => JSON.stringify((e.statement?.declaration as JsonObject).title ?? null)),
    );
    const title = declaration.title;
    if (title !== undefined && title !== null && signedTitles.size > 0) {
      if (signedTitles.size !== 1 || !signedTitles.has(JSON.stringify(title))) {
        problems.push(`declaration: title ${pyRepr(title)} is not the title the entries sign`);
      }
    }
  }
  const log = bundle.log;
  if (isObject(log)) {
    for (const name of ["tree_size", "root_hash"] as const) {
      if (name in log && !jsonEqual(log[name], seal[name])) {
        problems.push(`log: ${name} ${pyRepr(log[name])} is not the seal's ${pyRepr(seal[name])}`);
      }
    }
  }
}

function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function declarationOf(bundle: JsonObject, seal: JsonObject, entries: Entry[]): VerificationReport["declaration"] {
  const titles = entries.filter((e) => e.statement).map((e) => (e.statement?.declaration as JsonObject).title);
  const given = bundle.declaration;
  const title = titles.length > 0 ? titles[0] : isObject(given) ? given.title : null;
  return { id: seal.declaration, title: title ?? null, version: seal.version, content_hash: seal.content_hash };
}

/** Replay the log: an endorsement stands until its city withdraws it, one per city. */
function collectSignatories(entries: Entry[], report: VerificationReport): void {
  const standing = new Map<string, Signatory>();
  const replayed = new Set<number>();
  for (const entry of entries) {
    const statement = entry.statement;
    if (statement === null || replayed.has(statement.seq as number)) continue;
    replayed.add(statement.seq as number);
    const city = statement.city as JsonObject;
    const key = `${typeof city.id}:${String(city.id)}`; // 1 and "1" are two cities
    const current = standing.get(key);
    if (statement.type === "endorsement") {
      if (current !== undefined) {
        report.problems.push(
          `${label(entry)}: a second endorsement for ${pyStr(city.name)} while its endorsement at seq ${current.seq} stands`,
        );
        continue;
      }
      standing.set(key, {
        seq: statement.seq as number,
        city,
        signer: statement.signer as JsonObject,
        signedAt: typeof statement.signed_at === "string" ? statement.signed_at : "",
        kid: entry.kid,
        method: statement.method === "passkey" ? "passkey" : "password",
      });
    } else if (current === undefined || current.seq !== statement.withdraws) {
      report.problems.push(
        `${label(entry)}: withdraws seq ${pyStr(statement.withdraws)}, which is not a standing endorsement of ${pyStr(city.name)}`,
      );
    } else {
      standing.delete(key);
      report.withdrawn.push({
        seq: current.seq,
        city: current.city,
        signer: current.signer,
        signedAt: current.signedAt,
        withdrawnBy: statement.seq as number,
        withdrawnAt: typeof statement.signed_at === "string" ? statement.signed_at : "",
      });
    }
  }
  report.signatories = [...standing.values()].sort((a, b) => a.seq - b.seq);
}
