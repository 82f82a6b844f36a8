/**
 * The bundled samples: one small log in each format threatlab reads, written by the project from a
 * fixed seed (no third-party data), each with attacks planted at known times. `threatlab samples`
 * writes them; the files in data/samples/ are exactly what it writes.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeAtomic } from "../../io/atomic-write";
import { writeLogs } from "../../io/write-logs";
import { isoUtc } from "../../time";
import { AUTH_LOG_ATTACKS, authLogSample } from "./auth-log";
import { SAMPLE_YEAR } from "./timeline";
import { VPN_ATTACKS, vpnCsv, vpnEvents, vpnFrame, vpnNdjson } from "./vpn";
import { WINDOWS_ATTACKS, WINDOWS_SAMPLE_ZONE, windowsSecuritySample } from "./windows-security";
import { ZEEK_ATTACKS, zeekConnSample, zeekSshSample } from "./zeek";

export { SAMPLE_START, SAMPLE_YEAR } from "./timeline";
export { AUTH_LOG_ATTACKS } from "./auth-log";
export { WINDOWS_ATTACKS, WINDOWS_SAMPLE_ZONE } from "./windows-security";
export { ZEEK_ATTACKS } from "./zeek";
export { VPN_ATTACKS } from "./vpn";

/** The seed of the bundled samples. */
export const SAMPLES_SEED = 7;

/** An attack planted in a sample, and the alert that should report it. */
export interface PlantedAttack {
  readonly what: string;
  readonly rule: string;
  readonly entity: string;
  /** When it starts, ISO-8601 UTC. */
  readonly at: string;
}

/** One bundled sample. */
export interface Sample {
  readonly file: string;
  /** Its format's name (see `threatlab formats`). */
  readonly format: string;
  readonly title: string;
  /** What the log holds, in a sentence. */
  readonly about: string;
  readonly attacks: readonly PlantedAttack[];
  /** Options to read it with: syslog carries no year. */
  readonly ingest: { readonly year?: number };
  /** Writes the sample to `path` (atomically); without its planted attacks when `attacks` is false (a clean log). */
  write(path: string, seed: number, attacks?: boolean): void;
}

const text = (make: (seed: number, attacks: boolean) => string) => (path: string, seed: number, attacks = true): void => writeAtomic(path, (tmp) => writeFileSync(tmp, make(seed, attacks)));

/** Every bundled sample, in the order the README lists them. */
export const SAMPLES: readonly Sample[] = [
  {
    file: "auth.log",
    format: "syslog",
    title: "OpenSSH and PAM syslog (auth.log)",
    about: "a week of an SSH bastion: ten staff accounts, hourly cron, the internet's scanners and guesses",
    attacks: [
      { what: `brute force: ${AUTH_LOG_ATTACKS.bruteForce.attempts} failed root logins, repeats folded into "message repeated" lines`, rule: "brute_force", entity: AUTH_LOG_ATTACKS.bruteForce.source, at: isoUtc(AUTH_LOG_ATTACKS.bruteForce.start) },
      { what: `password spray: ${AUTH_LOG_ATTACKS.spray.accounts} account names in four minutes`, rule: "password_spray", entity: AUTH_LOG_ATTACKS.spray.source, at: isoUtc(AUTH_LOG_ATTACKS.spray.start) },
      { what: `break-in: ${AUTH_LOG_ATTACKS.breakIn.failures} failures on "${AUTH_LOG_ATTACKS.breakIn.account}", then a login and a root shell`, rule: "brute_force", entity: AUTH_LOG_ATTACKS.breakIn.source, at: isoUtc(AUTH_LOG_ATTACKS.breakIn.start) },
    ],
    ingest: { year: SAMPLE_YEAR },
    write: text(authLogSample),
  },
  {
    file: "security.jsonl",
    format: "windows-json",
    title: "Windows Security events as NXLog JSON",
    about: `a week of a small domain (DC, file server, 15 workstations; EventTime in ${WINDOWS_SAMPLE_ZONE}, @timestamp in UTC)`,
    attacks: [
      { what: `password spray at machine speed: ${WINDOWS_ATTACKS.spray.accounts} accounts from one workstation within 25 ms`, rule: "password_spray", entity: WINDOWS_ATTACKS.spray.workstation, at: isoUtc(WINDOWS_ATTACKS.spray.start) },
      { what: `Kerberoasting: RC4 service tickets for ${WINDOWS_ATTACKS.kerberoasting.services} service accounts in 2 s`, rule: "kerberoasting", entity: WINDOWS_ATTACKS.kerberoasting.user, at: isoUtc(WINDOWS_ATTACKS.kerberoasting.start) },
      { what: `brute force: ${WINDOWS_ATTACKS.bruteForce.attempts} network logons to ${WINDOWS_ATTACKS.bruteForce.account} from an unknown address`, rule: "brute_force", entity: WINDOWS_ATTACKS.bruteForce.address, at: isoUtc(WINDOWS_ATTACKS.bruteForce.start) },
    ],
    ingest: {},
    write: text(windowsSecuritySample),
  },
  {
    file: "zeek-conn.log",
    format: "zeek-tsv",
    title: "Zeek conn.log (TSV)",
    about: "a week of an office network: web browsing, DNS (some unanswered, without byte counts), file-server traffic, a nightly backup",
    attacks: [
      { what: `exfiltration: ${(ZEEK_ATTACKS.upload.bytesOut / 1e6).toFixed(1)} MB sent to an outside address in one connection at night`, rule: "large_upload", entity: ZEEK_ATTACKS.upload.source, at: isoUtc(ZEEK_ATTACKS.upload.start) },
    ],
    ingest: {},
    write: text(zeekConnSample),
  },
  {
    file: "zeek-ssh.json",
    format: "zeek-json",
    title: "Zeek ssh.log (JSON)",
    about: "a week of SSH to one server: administrators' logins, scanners that never authenticate",
    attacks: [
      { what: `password guessing: ${ZEEK_ATTACKS.sshGuessing.connections} connections of ${ZEEK_ATTACKS.sshGuessing.attemptsEach} failed tries (Zeek sees no user names)`, rule: "brute_force", entity: ZEEK_ATTACKS.sshGuessing.source, at: isoUtc(ZEEK_ATTACKS.sshGuessing.start) },
    ],
    ingest: {},
    write: text(zeekSshSample),
  },
  ...(["ndjson", "csv", "parquet"] as const).map((format): Sample => ({
    file: `vpn.${format}`,
    format,
    title: `VPN logins in the event schema (${format === "ndjson" ? "NDJSON" : format === "csv" ? "CSV" : "Parquet"})`,
    about: "two weeks of twenty staff logging in from their countries; the same events in all three vpn files",
    attacks: [
      { what: `impossible travel: ${VPN_ATTACKS.impossibleTravel.from} then ${VPN_ATTACKS.impossibleTravel.to} 39 minutes later`, rule: "impossible_travel", entity: VPN_ATTACKS.impossibleTravel.user, at: isoUtc(VPN_ATTACKS.impossibleTravel.after) },
      { what: `a first login from ${VPN_ATTACKS.newCountry.country}`, rule: "unusual_location", entity: VPN_ATTACKS.newCountry.user, at: isoUtc(VPN_ATTACKS.newCountry.at) },
      { what: `credential stuffing: failures from ${VPN_ATTACKS.stuffing.sources} addresses, ${VPN_ATTACKS.stuffing.cracked.length} accounts cracked`, rule: "credential_stuffing", entity: "authentication", at: isoUtc(VPN_ATTACKS.stuffing.start) },
    ],
    ingest: {},
    write(path: string, seed: number, attacks = true) {
      const events = vpnEvents(seed, attacks);
      if (format === "parquet") writeLogs(vpnFrame(events), path);
      else writeAtomic(path, (tmp) => writeFileSync(tmp, format === "ndjson" ? vpnNdjson(events) : vpnCsv(events)));
    },
  })),
];

/** Returns the README of the samples folder. */
export function samplesReadme(): string {
  const sections = SAMPLES.map((s) =>
    [
      `## ${s.file} — ${s.title}`,
      "",
      `Format \`${s.format}\`: ${s.about}.${s.ingest.year ? ` Syslog lines carry no year: read it with \`--year ${s.ingest.year}\`.` : ""}`,
      "",
      "| planted attack | starts (UTC) | expected alert |",
      "|---|---|---|",
      ...s.attacks.map((a) => `| ${a.what} | ${a.at} | \`${a.rule}\` on ${a.entity} |`),
    ].join("\n"),
  );
  return [
    "# Sample logs",
    "",
    "One small log in each format threatlab reads, written by threatlab itself from a fixed seed —",
    "no third-party data, so they can be shared and changed freely. Each has attacks planted at known",
    "times, among ordinary activity. Rewrite them with `threatlab samples --out data/samples`; the test",
    "suite checks that the files here are exactly what that writes, and that `threatlab detect` finds",
    "every planted attack. The tutorial's own sample is `../sample_logs.csv`.",
    "",
    "```sh",
    "threatlab report data/samples/auth.log --year 2025 --out report/",
    "```",
    "",
    ...sections.flatMap((s) => [s, ""]),
  ].join("\n");
}

/**
 * Writes every sample and the README into `dir`, returning the paths written.
 * @example
 * writeSamples("data/samples") // => ["data/samples/auth.log", …, "data/samples/README.md"]
 */
export function writeSamples(dir: string, seed = SAMPLES_SEED): string[] {
  const paths = SAMPLES.map((s) => {
    const path = join(dir, s.file);
    s.write(path, seed);
    return path;
  });
  const readme = join(dir, "README.md");
  writeAtomic(readme, (tmp) => writeFileSync(tmp, samplesReadme()));
  return [...paths, readme];
}
