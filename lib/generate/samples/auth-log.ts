/**
 * The bundled auth.log: a week of an SSH bastion's syslog (sshd, PAM, sudo, cron) with ten staff
 * accounts, the internet's background noise, and three attacks — a brute force on root, a password
 * spray over many names, and a brute force that ends in a login followed by a root shell.
 */
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../time";
import { integer, pick, poisson, uniform } from "../draw";
import { createRng, type Rng } from "../../shared/rng";
import { LineLog, clientPort, dayStart, isWeekend, workTime } from "./timeline";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number): string => String(n).padStart(2, "0");

/** Returns the classic syslog time, "Mar  3 09:05:01" (UTC, no year). */
export function syslogTime(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

const HOST = "bastion";
const STAFF = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"];
const NOISE_NAMES = ["test", "oracle", "ubuntu", "pi", "admin", "user", "guest", "postgres", "git", "ftpuser"];
const DAYS = 7;

/** The attacks planted in the auth.log sample. */
export const AUTH_LOG_ATTACKS = {
  bruteForce: { source: "203.0.113.45", account: "root", attempts: 280, start: dayStart(1) + 3 * HOUR_MS + 12 * MINUTE_MS },
  spray: { source: "198.51.100.23", accounts: 24, start: dayStart(2) + 14 * HOUR_MS + 40 * MINUTE_MS },
  breakIn: { source: "192.0.2.77", account: "deploy", failures: 16, start: dayStart(4) + 22 * HOUR_MS + 5 * MINUTE_MS },
} as const;

/** Writes syslog lines for one program instance. */
class Sshd {
  constructor(private readonly log: LineLog, private readonly pid: number) {}

  line(t: number, message: string, program = "sshd"): void {
    this.log.add(t, `${syslogTime(t)} ${HOST} ${program}[${this.pid}]: ${message}`);
  }
}

/** Returns the sample auth.log for `seed`; without its planted attacks when `attacks` is false. */
export function authLogSample(seed: number, attacks = true): string {
  const log = new LineLog();
  let pid = 2000;
  const nextPid = (rng: Rng): number => (pid += integer(rng, 1, 40));

  // Staff: publickey or password logins in working hours, a typo now and then, sessions, sudo.
  const staff = createRng(seed, "auth/staff");
  STAFF.forEach((user, i) => {
    const ip = `10.20.0.${11 + i}`;
    const uid = 1001 + i;
    for (let day = 0; day < DAYS; day++) {
      const logins = isWeekend(day) ? poisson(staff, 0.3) : poisson(staff, 4);
      for (let k = 0; k < logins; k++) {
        const t = workTime(staff, day);
        const port = clientPort(staff);
        const sshd = new Sshd(log, nextPid(staff));
        const method = i % 3 === 0 ? "password" : "publickey";
        if (method === "password" && staff.float() < 0.15) sshd.line(t - integer(staff, 3, 15) * 1000, `Failed password for ${user} from ${ip} port ${port} ssh2`);
        sshd.line(t, `Accepted ${method} for ${user} from ${ip} port ${port} ssh2${method === "publickey" ? ": ED25519 SHA256:k3y" + String(i) : ""}`);
        sshd.line(t, `pam_unix(sshd:session): session opened for user ${user}(uid=${uid}) by (uid=0)`);
        if (staff.float() < 0.25) {
          const s = t + integer(staff, 1, 20) * MINUTE_MS;
          new Sshd(log, nextPid(staff)).line(s, `${user} : TTY=pts/${i} ; PWD=/home/${user} ; USER=root ; COMMAND=/usr/bin/systemctl status nginx`, "sudo");
        }
        const end = t + Math.round(uniform(staff, 5, 180) * MINUTE_MS);
        sshd.line(end, `Received disconnect from ${ip} port ${port}:11: disconnected by user`);
        sshd.line(end, `Disconnected from user ${user} ${ip} port ${port}`);
        sshd.line(end, `pam_unix(sshd:session): session closed for user ${user}`);
      }
    }
  });

  // Cron, every hour.
  const cron = createRng(seed, "auth/cron");
  for (let h = 0; h < DAYS * 24; h++) {
    const t = dayStart(0) + h * HOUR_MS + 17 * MINUTE_MS + 1000;
    const job = new Sshd(log, nextPid(cron));
    job.line(t, "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)", "CRON");
    job.line(t, "(root) CMD (cd / && run-parts --report /etc/cron.hourly)", "CRON");
    job.line(t + 1000, "pam_unix(cron:session): session closed for user root", "CRON");
  }

  // The internet: scanners and a few guesses each, from many addresses.
  const noise = createRng(seed, "auth/noise");
  for (let day = 0; day < DAYS; day++) {
    const visits = poisson(noise, 12);
    for (let v = 0; v < visits; v++) {
      const ip = `${pick(noise, ["198.18", "198.19"])}.${integer(noise, 0, 255)}.${integer(noise, 1, 254)}`;
      const t = Math.floor(dayStart(day) + uniform(noise, 0, DAY_MS));
      const port = clientPort(noise);
      const sshd = new Sshd(log, nextPid(noise));
      if (noise.float() < 0.3) {
        sshd.line(t, `Did not receive identification string from ${ip} port ${port}`);
        continue;
      }
      const name = pick(noise, NOISE_NAMES);
      sshd.line(t, `Invalid user ${name} from ${ip} port ${port}`);
      const tries = integer(noise, 1, 3);
      for (let k = 0; k < tries; k++) sshd.line(t + (k + 1) * 2000, `Failed password for invalid user ${name} from ${ip} port ${port} ssh2`);
      sshd.line(t + (tries + 1) * 2000, `Connection closed by invalid user ${name} ${ip} port ${port} [preauth]`);
    }
  }

  if (!attacks) return log.toText();
  // Attack 1: brute force on root, six tries per connection, repeats folded by syslog.
  const brute = createRng(seed, "auth/brute-force");
  const bf = AUTH_LOG_ATTACKS.bruteForce;
  let t = bf.start;
  for (let done = 0; done < bf.attempts; ) {
    const port = clientPort(brute);
    const sshd = new Sshd(log, nextPid(brute));
    const tries = Math.min(6, bf.attempts - done);
    sshd.line(t, `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${bf.source}  user=${bf.account}`);
    sshd.line(t, `Failed password for ${bf.account} from ${bf.source} port ${port} ssh2`);
    const last = t + (tries - 1) * 350;
    if (tries > 1) sshd.line(last, `message repeated ${tries - 1} times: [ Failed password for ${bf.account} from ${bf.source} port ${port} ssh2]`);
    if (tries === 6) sshd.line(last, `Disconnecting authenticating user ${bf.account} ${bf.source} port ${port}: Too many authentication failures [preauth]`);
    sshd.line(last, `PAM ${tries - 1} more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=${bf.source}  user=${bf.account}`);
    done += tries;
    t = last + integer(brute, 200, 900);
  }

  // Attack 2: one address tries 24 names, real and made up, once or twice each, in four minutes.
  const spray = createRng(seed, "auth/spray");
  const sp = AUTH_LOG_ATTACKS.spray;
  const names = [...STAFF.slice(0, 6), "admin", "support", "backup", "deploy", "jenkins", "nagios", "www", "mysql", "ftp", "test1", "oracle", "ubuntu", "centos", "git", "svn", "hadoop", "tomcat", "student"];
  names.slice(0, sp.accounts).forEach((name, k) => {
    const at = sp.start + k * 10_000 + integer(spray, 0, 900);
    const port = clientPort(spray);
    const sshd = new Sshd(log, nextPid(spray));
    const real = STAFF.includes(name) || name === "deploy";
    if (!real) sshd.line(at, `Invalid user ${name} from ${sp.source} port ${port}`);
    const tries = spray.float() < 0.3 ? 2 : 1;
    for (let r = 0; r < tries; r++) sshd.line(at + (r + 1) * 1500, `Failed password for ${real ? "" : "invalid user "}${name} from ${sp.source} port ${port} ssh2`);
    sshd.line(at + (tries + 1) * 1500, `Connection closed by ${real ? "authenticating" : "invalid"} user ${name} ${sp.source} port ${port} [preauth]`);
  });

  // Attack 3: sixteen guesses at "deploy", then the right one, then a root shell.
  const breakIn = createRng(seed, "auth/break-in");
  const bi = AUTH_LOG_ATTACKS.breakIn;
  let at = bi.start;
  for (let k = 0; k < bi.failures; k++) {
    new Sshd(log, nextPid(breakIn)).line(at, `Failed password for ${bi.account} from ${bi.source} port ${clientPort(breakIn)} ssh2`);
    at += integer(breakIn, 6, 14) * 1000;
  }
  const port = clientPort(breakIn);
  const session = new Sshd(log, nextPid(breakIn));
  session.line(at, `Accepted password for ${bi.account} from ${bi.source} port ${port} ssh2`);
  session.line(at, `pam_unix(sshd:session): session opened for user ${bi.account}(uid=1100) by (uid=0)`);
  new Sshd(log, nextPid(breakIn)).line(at + 40_000, `${bi.account} : TTY=pts/3 ; PWD=/home/${bi.account} ; USER=root ; COMMAND=/bin/bash`, "sudo");
  session.line(at + 25 * MINUTE_MS, `Received disconnect from ${bi.source} port ${port}:11: disconnected by user`);
  return log.toText();
}
