"""The HTML page of `corpusgate report` (a `string.Template`: $run_id, $finished_at,
$version, $generated_at, $body). Kept in a module, not a data file, so that every
install of the package carries it."""

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="corpusgate $version">
<title>corpusgate audit report: $run_id</title>
<style>
  :root { --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --muted: #57606a;
          --line: #d0d7de; }
  * { box-sizing: border-box; }
  body { font: 14px/1.45 -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC",
                Helvetica, Arial, sans-serif;
         color: #1f2328; background: #ffffff; margin: 0; padding: 24px 32px 48px;
         max-width: 1280px; }
  h1 { font-size: 24px; margin: 0 0 4px; }
  h2 { font-size: 18px; margin: 32px 0 8px; padding-bottom: 4px;
       border-bottom: 1px solid var(--line); }
  h3 { font-size: 15px; margin: 16px 0 6px; }
  .sub { color: var(--muted); margin: 0 0 16px; }
  .verdict { display: flex; align-items: center; gap: 16px; padding: 16px 20px;
             border-radius: 8px; color: #fff; margin: 16px 0; }
  .verdict .big { font-size: 28px; font-weight: 700; letter-spacing: .04em; }
  .verdict.pass { background: var(--pass); }
  .verdict.fail { background: var(--fail); }
  .verdict.incomplete { background: var(--warn); }
  table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
  th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line);
           vertical-align: top; }
  th { background: #f6f8fa; font-weight: 600; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  .res { font-weight: 700; text-transform: uppercase; font-size: 12px;
         padding: 1px 6px; border-radius: 4px; color: #fff; }
  .res.pass { background: var(--pass); }
  .res.fail, .res.block { background: var(--fail); }
  .res.review, .res.pending { background: var(--warn); }
  .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
           gap: 10px; }
  .card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
  .card .v { font-size: 22px; font-weight: 700; }
  .card .k { color: var(--muted); font-size: 12px; }
  .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr));
            gap: 16px; }
  figure { margin: 0; border: 1px solid var(--line); border-radius: 8px;
           padding: 10px; }
  figcaption { font-weight: 600; margin-bottom: 6px; }
  figure svg { max-width: 100%; height: auto; display: block; }
  code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
                font-size: 12px; }
  .clause { color: var(--muted); font-size: 12px; }
  .note { color: var(--muted); font-size: 12px; }
</style>
</head>
<body>
<h1>corpusgate audit report</h1>
<p class="sub">Run <code>$run_id</code> &middot; finished $finished_at &middot;
corpusgate $version &middot; report generated $generated_at</p>
$body
</body>
</html>
"""
