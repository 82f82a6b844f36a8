/**
 * Lateral movement (ATT&CK T1021, remote services): one account logging on over the network with
 * administrative rights to several hosts within minutes — PsExec, WinRM, WMI or RDP from host to
 * host. On Windows an administrative network logon is a 4624 of logon type 3 (network) or 10
 * (remote interactive) that the same host follows with a 4672 (special privileges assigned) for
 * the same account; ordinary users' logons to the domain controller and file servers have no 4672.
 */
import pl from "nodejs-polars";
import { checkInteger, checkNumber } from "../errors";
import { MINUTE_MS } from "../time";
import { type Detection, formatDuration } from "./detection";
import { collectEvents, detectorView, type Events, groupIndices, lazyEvents, sharedStrings } from "./events";
import { slidingBursts } from "./windows";
import { type Rule, withDefaults } from "./rule";
import { listSome, plural } from "./words";

/** Options of {@link detectLateralMovement}. */
export interface LateralMovementOptions {
  /** Distinct hosts one account logs on to with administrative rights within the window. Default `3`. */
  hosts?: number;
  /** Sliding window in minutes. Default `10`. */
  windowMinutes?: number;
  /** Seconds between a logon and its 4672 on the same host. Default `2`: Windows writes them together. */
  privilegeSeconds?: number;
}

/** The defaults of {@link LateralMovementOptions}. */
const LATERAL_DEFAULTS = { hosts: 3, windowMinutes: 10, privilegeSeconds: 2 };

/** The ATT&CK technique of {@link detectLateralMovement}. */
export const LATERAL_TECHNIQUE = "T1021";

/** What a lateral-movement detection holds. */
export type LateralMovementEvidence = {
  /** The hosts logged on to with administrative rights, by name. */
  hosts: string[];
  /** Where the logons came from, when the log names another machine. */
  sources: string[];
  logons: number;
};

/**
 * Returns the administrative network logons in `frame`: 4624 (log type `login_success`) of logon
 * type 3 or 10 with a 4672 for the same account on the same host within `toleranceMs`; machine
 * accounts (ending in `$`) and anonymous logons left out.
 * @example
 * adminLogons(purpleSharpSecurity, 2000).height // => 19 (pgustavo on 3 hosts)
 */
export function adminLogons(frame: Events, toleranceMs: number) {
  const view = detectorView(frame);
  const account = pl.col("user_id").cast(pl.Utf8);
  const human = account.isNotNull().and(account.str.contains("\\$$").not()).and(account.str.toUpperCase().neq(pl.lit("ANONYMOUS LOGON")));
  const keyed = (plan: ReturnType<typeof lazyEvents>) =>
    plan.filter(human.and(pl.col("host").isNotNull())).select(
      account.alias("u"),
      pl.col("host").cast(pl.Utf8).str.toLowerCase().alias("h"),
      pl.col("timestamp").cast(pl.Int64).alias("t"),
      pl.col("ip_address").cast(pl.Utf8).alias("s"),
    );
  const logons = collectEvents(
    view,
    keyed(lazyEvents(view).filter(pl.col("log_type").eq(pl.lit("login_success")).and(pl.col("detail").str.contains("LogonType=(3|10)\\b")))).sort("t"),
  );
  const privileges = collectEvents(view, keyed(lazyEvents(view).filter(pl.col("log_type").eq(pl.lit("special_privileges")))).select("u", "h", pl.col("t").alias("tp")).sort("tp"));
  if (logons.height === 0 || privileges.height === 0) return logons.head(0);
  return logons
    .joinAsof(privileges, { leftOn: "t", rightOn: "tp", by: ["u", "h"], strategy: "nearest", tolerance: toleranceMs })
    .filter(pl.col("tp").isNotNull())
    .select("u", "h", "t", "s");
}

/**
 * Returns a detection for every burst in which one account logs on over the network with
 * administrative rights (see {@link adminLogons}) to at least `hosts` distinct hosts within
 * `windowMinutes`.
 * @example
 * detectLateralMovement(windowsEvents)[0].evidence // => { hosts: ["mordordc…", "workstation6…", "workstation7…"], … }
 */
export function detectLateralMovement(frame: Events, options: LateralMovementOptions = {}): Detection[] {
  const { hosts, windowMinutes, privilegeSeconds } = withDefaults(LATERAL_DEFAULTS, options);
  checkInteger("hosts", hosts, 2, 1e6);
  checkNumber("windowMinutes", windowMinutes, 0.1, 7 * 24 * 60);
  checkNumber("privilegeSeconds", privilegeSeconds, 0, 3600);
  const view = detectorView(frame);
  if (!view.columns.includes("host") || !view.columns.includes("detail")) return [];
  const rows = adminLogons(view, privilegeSeconds * 1000);
  const users = sharedStrings(rows.getColumn("u")) as string[];
  const names = sharedStrings(rows.getColumn("h")) as string[];
  const sources = sharedStrings(rows.getColumn("s"));
  const times = rows.getColumn("t").toArray().map(Number);
  const windowMs = windowMinutes * MINUTE_MS;
  const detections: Detection[] = [];
  for (const [user, indices] of groupIndices(users)) {
    const t = indices.map((i) => times[i]);
    for (const burst of slidingBursts(t, windowMs, [{ values: indices.map((i) => names[i]), atLeast: hosts }])) {
      const inBurst = indices.slice(burst.first, burst.last + 1);
      const reached = [...new Set(inBurst.map((i) => names[i]))].sort();
      // Where from, when the log names another machine (a logon whose source is the host itself says nothing).
      const from = [...new Set(inBurst.map((i) => sources[i]).filter((s, k): s is string => s !== null && s !== "-" && s.toLowerCase() !== names[inBurst[k]].split(".")[0]))].sort();
      detections.push({
        rule: "lateral_movement", technique: LATERAL_TECHNIQUE, entity: { type: "user", value: user },
        start: t[burst.first], end: t[burst.last], eventCount: inBurst.length,
        score: burst.peaks[0] / hosts, observed: burst.peaks[0], expected: hosts,
        measure: "distinct hosts logged on to with administrative rights", window: `${formatDuration(windowMs)} sliding`,
        evidence: { hosts: reached, sources: from, logons: inBurst.length } satisfies LateralMovementEvidence,
        logTypes: ["login_success", "special_privileges"],
      });
    }
  }
  return detections;
}

/** Lateral movement: administrative network logons to several hosts in minutes. */
export const lateralMovement: Rule<"lateral_movement", LateralMovementOptions, LateralMovementEvidence> = {
  name: "lateral_movement", title: "Lateral movement", family: "window rule", technique: LATERAL_TECHNIQUE, severity: "high",
  requires: ["timestamp", "user_id", "log_type", "host", "detail"], needsValues: ["user_id", "host", "detail"], defaults: LATERAL_DEFAULTS,
  explain: (o) =>
    `one account logging on over the network (4624, logon type 3 or 10) with administrative rights (a 4672 on the same host within ${o.privilegeSeconds} s) ` +
    `to ≥ ${o.hosts} hosts in ${o.windowMinutes} min; machine accounts and anonymous logons excluded`,
  basis: "4624 type 3 followed by 4672: an administrative network logon, how PsExec, WinRM and WMI reach the next host",
  detect: detectLateralMovement,
  summarize: (d) =>
    `${d.entity.value} logged on with administrative rights to ${plural(d.evidence.hosts.length, "host")} in ${formatDuration(Math.max(d.end - d.start, 1))}: ${listSome(d.evidence.hosts, 5)}` +
    (d.evidence.sources.length > 0 ? ` (from ${listSome(d.evidence.sources, 3)})` : ""),
};
