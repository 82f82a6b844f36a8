/**
 * The bundled security.jsonl: a week of Windows Security events from a small domain as NXLog
 * exports them (one flat JSON object per line, the host's local EventTime beside the collector's
 * UTC @timestamp), with three attacks — a password spray from one workstation at machine speed,
 * Kerberoasting, and a brute force on the Administrator account from an unknown address.
 */
import { HOUR_MS, MINUTE_MS, zoneOffset } from "../../time";
import { integer, pick, poisson } from "../draw";
import { createRng, type Rng } from "../../shared/rng";
import { LineLog, dayStart, isWeekend, workTime } from "./timeline";

const DOMAIN = "CORP";
const DC = "DC01.corp.example";
const FILE_SERVER = "FS01.corp.example";
/** The hosts' clock: EventTime is written in it. */
export const WINDOWS_SAMPLE_ZONE = "Europe/Berlin";
const DAYS = 7;

const STAFF = ["a.smith", "b.jones", "c.brown", "d.wilson", "e.taylor", "f.moore", "g.white", "h.clark", "i.lewis", "j.doe", "k.hall", "l.young", "m.king", "n.wright", "o.scott"];
const ADMINS = new Set(["d.wilson", "k.hall"]);
const SERVICES = ["cifs/FS01", "http/intranet", "MSSQLSvc/db01:1433", "ldap/DC01"];
const ROASTED = ["svc_sql", "svc_backup", "svc_web", "svc_sccm", "svc_exchange", "svc_adfs"];
const SHARES = ["\\\\*\\Finance", "\\\\*\\HR", "\\\\*\\Projects", "\\\\*\\Public"];

/** The attacks planted in the security.jsonl sample. */
export const WINDOWS_ATTACKS = {
  spray: { workstation: "WS13", accounts: 9, start: dayStart(1) + 9 * HOUR_MS + 41 * MINUTE_MS + 7_113 },
  kerberoasting: { user: "j.doe", address: "10.30.0.110", services: ROASTED.length, start: dayStart(1) + 9 * HOUR_MS + 55 * MINUTE_MS + 2_010 },
  bruteForce: { account: "Administrator", address: "10.30.0.250", attempts: 40, start: dayStart(3) + 1 * HOUR_MS + 30 * MINUTE_MS },
} as const;

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

/** Returns NXLog's EventTime: the host's local wall-clock time, "YYYY-MM-DD HH:MM:SS". */
function eventTime(utc: number): string {
  const d = new Date(utc + zoneOffset(utc, WINDOWS_SAMPLE_ZONE));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Writes events in NXLog's flat JSON. */
class Collector {
  private record = 880_000;

  constructor(private readonly log: LineLog, private readonly rng: Rng) {}

  event(t: number, host: string, id: number, data: Record<string, string | number>): void {
    // The collector stamps each event a moment after the host wrote it.
    const collected = t + 800 + integer(this.rng, 0, 4);
    this.log.add(t, JSON.stringify({
      EventTime: eventTime(t),
      "@timestamp": new Date(collected).toISOString(),
      Hostname: host,
      EventType: id === 4625 || id === 4771 ? "AUDIT_FAILURE" : "AUDIT_SUCCESS",
      SourceName: "Microsoft-Windows-Security-Auditing",
      Channel: "Security",
      EventID: id,
      RecordNumber: this.record++,
      ...data,
    }));
  }
}

/** Returns the sample security.jsonl for `seed`. */
export function windowsSecuritySample(seed: number, attacks = true): string {
  const log = new LineLog();
  const rng = createRng(seed, "windows/collector");
  const out = new Collector(log, rng);
  const staff = createRng(seed, "windows/staff");

  STAFF.forEach((user, i) => {
    const workstation = `WS${pad(i + 1)}`;
    const address = `10.30.0.${101 + i}`;
    for (let day = 0; day < DAYS; day++) {
      if (isWeekend(day) && staff.float() < 0.9) continue;
      const t = workTime(staff, day) - 2 * HOUR_MS;
      // A mistyped password first, now and then: the workstation's 4625 and the DC's 4776.
      if (staff.float() < 0.12) {
        const typo = t - integer(staff, 5, 30) * 1000;
        out.event(typo, DC, 4771, { TargetUserName: user, ServiceName: "krbtgt", IpAddress: `::ffff:${address}`, Status: "0x18", PreAuthType: "2" });
      }
      out.event(t, DC, 4768, { TargetUserName: user, TargetDomainName: DOMAIN, ServiceName: "krbtgt", IpAddress: `::ffff:${address}`, Status: "0x0", TicketEncryptionType: "0x12" });
      out.event(t + 150, `${workstation}.corp.example`, 4624, { TargetUserName: user, TargetDomainName: DOMAIN, LogonType: "2", IpAddress: "127.0.0.1", WorkstationName: workstation, LogonProcessName: "User32" });
      if (ADMINS.has(user)) out.event(t + 160, `${workstation}.corp.example`, 4672, { SubjectUserName: user, SubjectDomainName: DOMAIN, PrivilegeList: "SeSecurityPrivilege SeBackupPrivilege SeDebugPrivilege" });
      const uses = poisson(staff, 6);
      for (let k = 0; k < uses; k++) {
        const at = t + integer(staff, 5, 9 * 60) * MINUTE_MS;
        const service = pick(staff, SERVICES);
        out.event(at, DC, 4769, { TargetUserName: `${user}@CORP.EXAMPLE`, ServiceName: service.split("/")[0] === "cifs" ? "FS01$" : service, IpAddress: `::ffff:${address}`, Status: "0x0", TicketEncryptionType: "0x12" });
        if (service.startsWith("cifs")) {
          out.event(at + 40, FILE_SERVER, 4624, { TargetUserName: user, TargetDomainName: DOMAIN, LogonType: "3", IpAddress: address, WorkstationName: workstation, LogonProcessName: "Kerberos" });
          out.event(at + 60, FILE_SERVER, 5140, { SubjectUserName: user, SubjectDomainName: DOMAIN, IpAddress: address, ShareName: pick(staff, SHARES) });
          out.event(at + 20 * MINUTE_MS, FILE_SERVER, 4634, { TargetUserName: user, TargetDomainName: DOMAIN, LogonType: "3" });
        }
      }
      if (staff.float() < 0.3) out.event(t + integer(staff, 1, 8) * HOUR_MS, `${workstation}.corp.example`, 4688, { SubjectUserName: user, SubjectDomainName: DOMAIN, NewProcessName: "C:\\Windows\\System32\\cmd.exe", CommandLine: "cmd.exe /c ipconfig /all" });
    }
  });

  if (!attacks) return log.toText();
  // Attack 1: nine accounts tried once each from WS13 within 25 ms; the DC validates each (4776).
  const spray = WINDOWS_ATTACKS.spray;
  STAFF.filter((u) => u !== "m.king").slice(0, spray.accounts).forEach((user, k) => {
    const t = spray.start + k * 3;
    out.event(t, `${spray.workstation}.corp.example`, 4625, { TargetUserName: user, TargetDomainName: DOMAIN, LogonType: "3", IpAddress: "-", WorkstationName: spray.workstation, Status: "0xc000006d", SubStatus: "0xc000006a", LogonProcessName: "NtLmSsp" });
    out.event(t + 1, DC, 4776, { TargetUserName: user, Workstation: spray.workstation, Status: "0xc000006a", PackageName: "MICROSOFT_AUTHENTICATION_PACKAGE_V1_0" });
  });

  // Attack 2: j.doe asks for RC4 service tickets for six service accounts within two seconds.
  const roast = WINDOWS_ATTACKS.kerberoasting;
  ROASTED.forEach((service, k) => {
    out.event(roast.start + k * 310, DC, 4769, { TargetUserName: `${roast.user}@CORP.EXAMPLE`, ServiceName: service, IpAddress: `::ffff:${roast.address}`, Status: "0x0", TicketEncryptionType: "0x17", TicketOptions: "0x40810000" });
  });

  // Attack 3: forty guesses at Administrator over the network from an address no one knows.
  const brute = WINDOWS_ATTACKS.bruteForce;
  const guesses = createRng(seed, "windows/brute-force");
  let t = brute.start;
  for (let k = 0; k < brute.attempts; k++) {
    out.event(t, FILE_SERVER, 4625, { TargetUserName: brute.account, TargetDomainName: DOMAIN, LogonType: "3", IpAddress: brute.address, WorkstationName: "kali", Status: "0xc000006d", SubStatus: "0xc000006a", LogonProcessName: "NtLmSsp" });
    t += integer(guesses, 2, 7) * 1000;
  }
  return log.toText();
}
