/**
 * The bundled Zeek logs: a week of conn.log in Zeek's TSV form (web browsing, DNS, file-server
 * traffic and a nightly backup, with one 48 MB upload to an outside address at night) and of
 * ssh.log in Zeek's JSON form (administrators' sessions, internet scanners, and a password-guessing
 * run Zeek sees as failed authentications without user names).
 */
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../time";
import { integer, logNormal, pick, poisson, uniform } from "../draw";
import { createRng, type Rng } from "../../shared/rng";
import { LineLog, clientPort, dayStart, isWeekend, workTime } from "./timeline";

const DAYS = 7;
const HOSTS = Array.from({ length: 12 }, (_, i) => `10.40.0.${101 + i}`);
const DNS = "10.40.0.2";
const FILE_SERVER = "10.40.0.10";
const BACKUP = "10.40.0.20";
const SSH_SERVER = "10.40.0.5";
/** Outside web servers: documentation and benchmarking ranges, never real hosts. */
const WEB = [...Array.from({ length: 20 }, (_, i) => `198.18.${i}.${10 + i}`), ...Array.from({ length: 10 }, (_, i) => `198.51.100.${30 + i}`)];

/** The attacks planted in the Zeek samples. */
export const ZEEK_ATTACKS = {
  upload: { source: "10.40.0.107", destination: "203.0.113.200", port: 443, bytesOut: 48_213_554, bytesIn: 183_220, start: dayStart(5) + 2 * HOUR_MS + 13 * MINUTE_MS + 7_000 },
  sshGuessing: { source: "203.0.113.99", destination: SSH_SERVER, connections: 60, attemptsEach: 6, start: dayStart(2) + 23 * HOUR_MS + 2 * MINUTE_MS },
} as const;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Returns a Zeek connection uid ("C" and 17 base-62 characters). */
function uid(rng: Rng): string {
  let id = "C";
  for (let i = 0; i < 17; i++) id += BASE62[rng.below(62)];
  return id;
}

/** Returns Zeek's `ts`: epoch seconds with six decimals. */
const ts = (ms: number): string => (ms / 1000).toFixed(6);

/** Returns Zeek's stamp for #open and #close, e.g. 2025-03-03-00-00-00. */
const stamp = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace(/[T:]/g, "-");

const CONN_FIELDS = ["ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "service", "duration", "orig_bytes", "resp_bytes", "conn_state", "local_orig", "local_resp", "missed_bytes", "history", "orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes", "tunnel_parents"];
const CONN_TYPES = ["time", "string", "addr", "port", "addr", "port", "enum", "string", "interval", "count", "count", "string", "bool", "bool", "count", "string", "count", "count", "count", "count", "set[string]"];

/** One connection; undefined bytes are written unset (`-`), as Zeek does when it saw none. */
interface Conn {
  t: number;
  from: string;
  to: string;
  port: number;
  proto: "tcp" | "udp";
  service?: string;
  seconds?: number;
  out?: number;
  back?: number;
  state: string;
  history: string;
}

/** Returns the TSV line of a connection. */
function connLine(rng: Rng, c: Conn): string {
  const local = (ip: string): string => (ip.startsWith("10.") ? "T" : "F");
  const packets = (bytes: number | undefined): number => (bytes === undefined ? 1 : Math.max(1, Math.ceil(bytes / 1400)));
  const v = (x: number | string | undefined): string => (x === undefined ? "-" : String(x));
  const outPkts = packets(c.out);
  const backPkts = c.state === "S0" ? 0 : packets(c.back);
  return [
    ts(c.t), uid(rng), c.from, clientPort(rng), c.to, c.port, c.proto, v(c.service), v(c.seconds?.toFixed(6)), v(c.out), v(c.back), c.state,
    local(c.from), local(c.to), 0, c.history, outPkts, (c.out ?? 0) + outPkts * 40, backPkts, (c.back ?? 0) + backPkts * 40, "-",
  ].join("\t");
}

/** Returns the sample conn.log (Zeek TSV) for `seed`. */
export function zeekConnSample(seed: number, attacks = true): string {
  const log = new LineLog();
  const rng = createRng(seed, "zeek/conn");
  const add = (c: Conn): void => log.add(c.t, connLine(rng, c));

  for (const host of HOSTS) {
    for (let day = 0; day < DAYS; day++) {
      const visits = poisson(rng, isWeekend(day) ? 4 : 45);
      for (let k = 0; k < visits; k++) {
        const t = isWeekend(day) ? Math.floor(dayStart(day) + uniform(rng, 0, DAY_MS)) : workTime(rng, day);
        add({ t: t - integer(rng, 5, 40), from: host, to: DNS, port: 53, proto: "udp", service: "dns", seconds: uniform(rng, 0.001, 0.05), out: integer(rng, 30, 60), back: integer(rng, 60, 220), state: "SF", history: "Dd" });
        add({ t, from: host, to: pick(rng, WEB), port: 443, proto: "tcp", service: "ssl", seconds: uniform(rng, 0.2, 90), out: Math.round(logNormal(rng, 1800, 0.8)), back: Math.round(logNormal(rng, 45_000, 1.3)), state: "SF", history: "ShADadFf" });
      }
      // A query nobody answered: Zeek leaves the byte counts unset.
      if (rng.float() < 0.5) add({ t: dayStart(day) + integer(rng, 0, DAY_MS - 1), from: host, to: DNS, port: 53, proto: "udp", service: "dns", state: "S0", history: "D" });
      if (!isWeekend(day)) {
        const files = poisson(rng, 5);
        for (let k = 0; k < files; k++) {
          const upload = rng.float() < 0.3;
          const size = Math.round(logNormal(rng, 2_000_000, 1));
          add({ t: workTime(rng, day), from: host, to: FILE_SERVER, port: 445, proto: "tcp", service: "smb", seconds: uniform(rng, 1, 30), out: upload ? size : 2000, back: upload ? 3000 : size, state: "SF", history: "ShADadFf" });
        }
      }
    }
  }
  // The nightly backup: gigabytes, but inside.
  for (let day = 0; day < DAYS; day++) {
    add({ t: dayStart(day) + HOUR_MS + integer(rng, 0, 600_000), from: FILE_SERVER, to: BACKUP, port: 873, proto: "tcp", service: "rsync", seconds: uniform(rng, 1200, 2400), out: Math.round(logNormal(rng, 2_500_000_000, 0.1)), back: integer(rng, 50_000, 90_000), state: "SF", history: "ShADadFf" });
  }
  // The attack: one host sends 48 MB to an outside address at night and gets little back.
  const up = ZEEK_ATTACKS.upload;
  if (attacks) add({ t: up.start, from: up.source, to: up.destination, port: up.port, proto: "tcp", service: "ssl", seconds: 412.58, out: up.bytesOut, back: up.bytesIn, state: "SF", history: "ShADadFf" });

  const first = dayStart(0);
  const header = [
    "#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)", "#unset_field\t-", "#path\tconn", `#open\t${stamp(first)}`,
    `#fields\t${CONN_FIELDS.join("\t")}`, `#types\t${CONN_TYPES.join("\t")}`,
  ];
  return `${header.join("\n")}\n${log.toText()}#close\t${stamp(dayStart(DAYS))}\n`;
}

/** Returns the sample ssh.log (Zeek JSON) for `seed`. */
export function zeekSshSample(seed: number, attacks = true): string {
  const log = new LineLog();
  const rng = createRng(seed, "zeek/ssh");
  const add = (t: number, from: string, fields: Record<string, unknown>): void => {
    log.add(t, JSON.stringify({
      ts: Number(ts(t)), uid: uid(rng), "id.orig_h": from, "id.orig_p": clientPort(rng), "id.resp_h": SSH_SERVER, "id.resp_p": 22, version: 2,
      ...fields,
      direction: from.startsWith("10.") ? "INT" : "INBOUND", server: "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3",
    }));
  };
  const session = { cipher_alg: "chacha20-poly1305@openssh.com", mac_alg: "umac-64-etm@openssh.com", compression_alg: "none", kex_alg: "curve25519-sha256", host_key_alg: "ssh-ed25519" };
  // Administrators log in from their desks.
  for (const admin of HOSTS.slice(0, 3)) {
    for (let day = 0; day < DAYS; day++) {
      const sessions = isWeekend(day) ? 0 : poisson(rng, 3);
      for (let k = 0; k < sessions; k++) add(workTime(rng, day), admin, { auth_success: true, auth_attempts: 1, client: "SSH-2.0-OpenSSH_9.6", ...session });
    }
  }
  // Scanners connect and leave before authenticating: Zeek sees no outcome.
  for (let day = 0; day < DAYS; day++) {
    const scans = poisson(rng, 8);
    for (let k = 0; k < scans; k++) {
      add(dayStart(day) + integer(rng, 0, DAY_MS - 1), `198.19.${integer(rng, 0, 255)}.${integer(rng, 1, 254)}`, { auth_attempts: 0, client: pick(rng, ["SSH-2.0-Go", "SSH-2.0-libssh_0.9.6", "SSH-2.0-ZGrab ZGrab SSH Survey"]) });
    }
  }
  // The attack: sixty connections of six failed tries each within fifteen minutes.
  const g = ZEEK_ATTACKS.sshGuessing;
  for (let k = 0; k < (attacks ? g.connections : 0); k++) {
    add(g.start + k * 15_000 + integer(rng, 0, 4_000), g.source, { auth_success: false, auth_attempts: g.attemptsEach, client: "SSH-2.0-libssh2_1.10.0", ...session });
  }
  return log.toText();
}
