/**
 * The adaptive attacker's results as figures: the evasion frontier of every goal against every
 * layer, and the rounds of one game.
 */
import { type Frontier, formatAmount, frontierRows, type RedTeamResult } from "../evaluate/redteam";
import { COLORS, type Figure, plotlyText } from "./figure";

/**
 * Returns grouped bars: for each goal, the share of its daily budget the attacker got through each
 * layer without an alert, on a log scale (a layer that let nothing through has no bar; the hover
 * and the legend still name it).
 * @example
 * plotFrontier(redTeam({ seed: 1 })).data.map((t) => t.name) // => ["tutorial rule", "window rules", "baselines", "model", "suite"]
 */
export function plotFrontier(result: RedTeamResult): Figure {
  const rows = frontierRows(result);
  const layers = [...new Set(result.frontiers.map((f) => f.layer))];
  return {
    data: layers.map((layer, i) => ({
      type: "bar",
      name: plotlyText(layer),
      x: rows.map((r) => plotlyText(r.title)),
      y: rows.map((r) => (r.perDay[layer] > 0 ? (100 * r.perDay[layer]) / r.budget : null)),
      text: rows.map((r) => formatAmount(r.goal, r.perDay[layer])),
      textposition: "outside",
      customdata: rows.map((r) => plotlyText(r.unit)),
      marker: { color: layer === "tutorial rule" ? COLORS.anomaly : layer === "suite" ? COLORS.line : COLORS.threats[(i + 3) % COLORS.threats.length] },
      hovertemplate: `${plotlyText(layer)}: %{text} %{customdata} a day without an alert (%{y:.3g}% of the budget)<extra></extra>`,
    })),
    layout: {
      title: { text: "How much an adaptive attacker gets done in a day without an alert" },
      barmode: "group",
      height: 460,
      yaxis: { title: { text: "share of the daily budget (%, log scale)" }, type: "log" },
      legend: { orientation: "h", y: -0.2 },
    },
  };
}

/**
 * Returns the rounds of one game: the size of each round's campaign, red where an alert came of
 * it and green where none did, with the frontier as a line.
 * @example
 * plotAttackerRounds(redTeam({ goals: ["guess"] }).frontiers[4]).data.length // => 3
 */
export function plotAttackerRounds(frontier: Frontier): Figure {
  const marks = (seen: boolean) => frontier.history.filter((r) => (r.alerts > 0) === seen);
  const trace = (seen: boolean) => ({
    type: "scatter" as const,
    mode: "markers",
    name: seen ? "seen (an alert)" : "not seen",
    x: marks(seen).map((r) => r.round),
    y: marks(seen).map((r) => r.amount),
    text: marks(seen).map((r) => (seen ? `${formatAmount(frontier.goal, r.amount)}: ${r.rules.map(plotlyText).join(", ")}` : formatAmount(frontier.goal, r.amount))),
    marker: { color: seen ? COLORS.anomaly : COLORS.line, size: 10 },
    hovertemplate: "round %{x}: %{text}<extra></extra>",
  });
  return {
    data: [
      trace(true),
      trace(false),
      {
        type: "scatter", mode: "lines", name: "frontier",
        x: [0.5, frontier.rounds + 0.5], y: [frontier.perDay, frontier.perDay],
        line: { color: COLORS.normal, dash: "dash" },
        hovertemplate: `frontier: ${formatAmount(frontier.goal, frontier.perDay)}<extra></extra>`,
      },
    ],
    layout: {
      title: { text: plotlyText(`${frontier.goal} against the ${frontier.layer}: ${frontier.unit} per round`) },
      height: 380,
      xaxis: { title: { text: "round" }, dtick: 1 },
      yaxis: { title: { text: `${plotlyText(frontier.unit)} that day (log scale)` }, type: "log" },
      legend: { orientation: "h", y: -0.25 },
    },
  };
}
