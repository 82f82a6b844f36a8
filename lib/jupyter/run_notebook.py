"""Execute one notebook with nbclient, stop at the first failing cell, and export it.

Called by lib/jupyter/execute-notebooks.ts with the Python that runs Jupyter. tslab reports a
failing cell only through its reply status and a stderr stream (no `error` output), so
nbconvert's --allow-errors would hide failures; this runs the cells one by one instead and says
exactly which cell failed and why.

Usage: run_notebook.py NOTEBOOK OUT_IPYNB [--html OUT_HTML] [--sign] [--kernel NAME] [--timeout S]
                       [--header TEXT] [--progress PREFIX]
--header puts TEXT (escaped) at the top of the HTML page and in the notebook's metadata
(threatlab.run); --progress rewrites one terminal line on stderr, PREFIX then "cell N/M", as cells run.
Prints one JSON object: {"error": null} or {"error": {"cell": N, "ename": ..., "evalue": ...}}
where N counts code cells from 1. The executed notebook is written even when a cell fails.
"""
import argparse
import html
import json
import os
import re
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ERROR_LINE = re.compile(r"\w*(Error|Exception)\b.*")
COMPILE_ERROR = re.compile(r"^(\d+):(\d+) - (.*)")


def describe_failure(cell):
    """Return (ename, evalue) from the error output or the stderr tslab wrote for a failing cell."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return output.get("ename", "Error"), output.get("evalue", "")
    text = "".join(
        o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stderr"
    )
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        compiled = COMPILE_ERROR.match(line)
        if compiled:
            return "TypeScript", f"line {compiled.group(1)}, column {compiled.group(2)}: {compiled.group(3)}"
        match = ERROR_LINE.search(line)
        if match:
            found = match.group(0)
            name, _, value = found.partition(": ")
            return (name, value) if value else ("Error", found)
    return "Error", lines[0] if lines else "the cell failed without a message"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook")
    parser.add_argument("out")
    parser.add_argument("--html")
    parser.add_argument("--sign", action="store_true")
    parser.add_argument("--kernel", default="threatlab")
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--header")
    parser.add_argument("--progress")
    args = parser.parse_args()

    nb = nbformat.read(args.notebook, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout=args.timeout,
        # tslab compiles TypeScript as it starts: on a busy two-core machine that has taken over
        # nbclient's default 60 s ("Kernel didn't respond in 60 seconds").
        startup_timeout=300,
        allow_errors=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.notebook))}},
    )
    if args.header:
        nb.metadata.setdefault("threatlab", {})["run"] = args.header
    error = None
    code_cell = 0
    code_cells = sum(1 for cell in nb.cells if cell.cell_type == "code")
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            code_cell += 1
            if args.progress is not None:
                sys.stderr.write(f"\r\x1b[K{args.progress}cell {code_cell}/{code_cells}")
                sys.stderr.flush()
            try:
                client.execute_cell(cell, index, execution_count=code_cell)
            except (CellExecutionError, CellTimeoutError, DeadKernelError) as failure:
                ename, evalue = describe_failure(cell)
                if isinstance(failure, CellTimeoutError):
                    ename, evalue = "Timeout", f"the cell ran longer than {args.timeout} s"
                elif isinstance(failure, DeadKernelError):
                    ename, evalue = "DeadKernel", "the kernel died (out of memory?)"
                error = {"cell": code_cell, "ename": ename, "evalue": evalue}
                break

    if args.progress is not None:
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()
    nbformat.write(nb, args.out)
    if args.sign:
        from nbformat.sign import NotebookNotary

        NotebookNotary().sign(nb)
    if args.html:
        from nbconvert import HTMLExporter

        body, _ = HTMLExporter().from_notebook_node(nb)
        if args.header:
            banner = (
                '<div class="threatlab-run" style="font:14px sans-serif;padding:8px 16px;'
                'background:#f3f3f3;border-bottom:1px solid #ccc">' + html.escape(args.header) + "</div>"
            )
            body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, body, count=1)
        with open(args.html, "w", encoding="utf-8") as handle:
            handle.write(body)
    print(json.dumps({"error": error}))


if __name__ == "__main__":
    sys.exit(main())
