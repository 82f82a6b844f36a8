const T = require("./dist");
const j = T.findJupyter();
for (const p of process.argv.slice(2)) {
  const r = T.executeNotebook(j, p, { outDir: "/tmp/exrun", html: false, sign: false });
  console.log(p, JSON.stringify(r.error), r.seconds.toFixed(1));
  for (const c of T.readNotebookCells(r.executed)) if (c.cell_type === "code" && (c.metadata?.tags ?? []).some(t => t === "exercise" || t === "solution")) console.log("  ", JSON.stringify(c.outputs));
}
