/**
 * Robustness measured, not assumed: the detector suite scored on a grid of generated populations
 * — small and large, uniform and varied habits (roaming users, service accounts, shift workers),
 * short and long captures, few and many attacks — so that a threshold tuned to one scenario shows
 * where it breaks.
 */
import { buildAlerts } from "../alerts/alerts";
import { type DetectOptions, runDetectors } from "../detect/suite";
import { CAMPAIGN_KINDS, type CampaignKind } from "../generate/campaigns";
import { type HabitVariety, UNIFORM_HABITS, VARIED_HABITS } from "../generate/habits";
import { generateScenario, type ScenarioOptions } from "../generate/scenario";
import { evaluate } from "./evaluate";
import { groundTruth } from "./ground-truth";

/** One setting of the grid. */
export interface GridSetting {
  /** E.g. "40 users · varied · 3 d · many attacks". */
  readonly name: string;
  readonly users: number;
  readonly habits: "uniform" | "varied";
  readonly days: number;
  readonly attacks: "few" | "many";
}

/** The axes of the grid: population size × habit variety × span × attack intensity (16 settings). */
export const GRID_AXES = {
  users: [40, 150],
  habits: ["uniform", "varied"],
  days: [3, 14],
  attacks: ["few", "many"],
} as const;

/** Every setting of {@link GRID_AXES}. */
export const GRID: readonly GridSetting[] = GRID_AXES.users.flatMap((users) =>
  GRID_AXES.habits.flatMap((habits) =>
    GRID_AXES.days.flatMap((days) =>
      GRID_AXES.attacks.map((attacks) => ({ name: `${users} users · ${habits} · ${days} d · ${attacks} attacks`, users, habits, days, attacks })),
    ),
  ),
);

/** Returns the scenario options of a grid setting: 40 events per user and working day; a short capture learns for 1 day, a long one for 5. */
export function gridScenario(setting: GridSetting, seed: number): ScenarioOptions {
  const variety: HabitVariety = setting.habits === "varied" ? VARIED_HABITS : UNIFORM_HABITS;
  const each = setting.attacks === "many" ? 3 : 1;
  return {
    seed, users: setting.users, days: setting.days, eventsPerUserDay: 40, learningDays: setting.days >= 7 ? 5 : 1, variety,
    campaigns: Object.fromEntries(CAMPAIGN_KINDS.map((k) => [k, each])) as Record<CampaignKind, number>,
  };
}

/** The scores of one grid setting. */
export interface GridResult {
  readonly setting: GridSetting;
  readonly events: number;
  readonly campaigns: number;
  readonly alerts: number;
  readonly alert_precision: number | null;
  readonly campaign_recall: number | null;
  /** Campaign ids no alert touched. */
  readonly missed: string[];
  /** Per rule: alerts and the share of them that touched an attack (where the rule raised any). */
  readonly by_rule: Record<string, { alerts: number; precision: number | null }>;
}

/** Options of {@link evaluateGrid}. */
export interface GridEvaluationOptions extends Pick<DetectOptions, "rules" | "options"> {
  /** Seed of every scenario. Default `42`. */
  seed?: number;
  /** The settings to run. Default {@link GRID}. */
  settings?: readonly GridSetting[];
  /** Called after each setting (for progress). */
  onSetting?: (result: GridResult, done: number, total: number) => void;
}

/**
 * Returns the suite's alert precision and campaign recall in every grid setting.
 * @example
 * evaluateGrid({ settings: GRID.slice(0, 1) })[0] // => { setting: { name: "40 users · uniform · 3 d · few attacks", … }, alert_precision: 1, campaign_recall: 1, … }
 */
export function evaluateGrid({ seed = 42, settings = GRID, rules, options, onSetting }: GridEvaluationOptions = {}): GridResult[] {
  const results: GridResult[] = [];
  for (const setting of settings) {
    const { events } = generateScenario(gridScenario(setting, seed));
    const truth = groundTruth(events);
    const detections = runDetectors(events, { rules, options }).detections;
    const scores = evaluate(buildAlerts(detections), truth);
    const by_rule: GridResult["by_rule"] = {};
    for (const rule of new Set(detections.map((d) => d.rule))) {
      const s = evaluate(buildAlerts(detections.filter((d) => d.rule === rule)), truth);
      by_rule[rule] = { alerts: s.alerts, precision: s.alert_precision };
    }
    const result: GridResult = {
      setting, events: truth.totalEvents, campaigns: truth.campaigns.size, alerts: scores.alerts,
      alert_precision: scores.alert_precision, campaign_recall: scores.campaign_recall, missed: scores.campaigns_missed, by_rule,
    };
    results.push(result);
    onSetting?.(result, results.length, settings.length);
  }
  return results;
}

/** Returns a share as "0.95", or "–" where there is nothing to divide. */
const share = (x: number | null): string => (x === null ? "–" : x.toFixed(3).replace(/0+$/, "").replace(/\.$/, ".0"));

/**
 * Returns the grid's scores as a text table, one line per setting, with the campaigns missed.
 * @example
 * formatGrid(evaluateGrid({ settings: GRID.slice(0, 1) }))
 * // => "SETTING                                  EVENTS CAMPAIGNS ALERTS PRECISION RECALL MISSED\n40 users · uniform · 3 d · few attacks …"
 */
export function formatGrid(results: readonly GridResult[]): string {
  const rows = results.map((r) => [r.setting.name, r.events.toLocaleString("en-US"), String(r.campaigns), String(r.alerts), share(r.alert_precision), share(r.campaign_recall), r.missed.join(", ") || "none"]);
  const head = ["SETTING", "EVENTS", "CAMPAIGNS", "ALERTS", "PRECISION", "RECALL", "MISSED"];
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) => cells.map((c, k) => (k === cells.length - 1 ? c : k === 0 ? c.padEnd(widths[k]) : c.padStart(widths[k]))).join("  ");
  const met = results.filter((r) => (r.alert_precision ?? 1) >= 0.9 && r.campaign_recall === 1).length;
  return [line(head), ...rows.map(line), `${met} of ${results.length} settings meet alert precision ≥ 0.9 and campaign recall 1.0`].join("\n");
}
