/**
 * The page's styles: one sheet, no web fonts, readable from 360 px to 1440 px and beyond. Every
 * status has a symbol and a word as well as a colour.
 */
export const pageStyles = `
:root {
  --bg: #f7f7f8; --fg: #1b1c1f; --muted: #5b5f69; --card: #ffffff; --line: #d7d9de; --accent: #1f5fbf;
  --created: #5b5f69; --validated: #1f5fbf; --completed: #1d7a3e; --invalid: #b3261e; --failed: #a34400;
  --log: #1f5fbf; --validate: #6b3fa0; --perform: #1d7a3e;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #16171a; --fg: #e8e9ec; --muted: #a3a7b1; --card: #1f2024; --line: #363840; --accent: #7fb0ff;
    --created: #a3a7b1; --validated: #7fb0ff; --completed: #6fd08c; --invalid: #ff8a80; --failed: #ffb366;
    --log: #7fb0ff; --validate: #c59bff; --perform: #6fd08c;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip-link { position: absolute; left: -9999px; }
.skip-link:focus { left: 8px; top: 8px; background: var(--card); padding: 6px 10px; z-index: 2; }
.top { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 20px; padding: 10px 16px; background: var(--card); border-bottom: 1px solid var(--line); }
.brand { font-weight: 700; font-size: 1.1rem; text-decoration: none; color: var(--fg); }
.top ul { display: flex; gap: 16px; list-style: none; margin: 0; padding: 0; }
.top a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
main { max-width: 1400px; margin: 0 auto; padding: 16px; }
main:focus { outline: none; }
h1 { font-size: 1.45rem; margin: 4px 0 12px; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 20px 0 8px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.86rem; }
.mono, code { overflow-wrap: anywhere; }
pre { background: var(--bg); border: 1px solid var(--line); padding: 10px; overflow: auto; max-height: 420px; margin: 6px 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; margin: 12px 0; }
.card > h2:first-child { margin-top: 0; }
.muted { color: var(--muted); }
.toolbar { display: flex; flex-wrap: wrap; align-items: end; gap: 10px 16px; }
.toolbar .field { display: flex; flex-direction: column; gap: 2px; }
.toolbar .field label { font-size: 0.85rem; color: var(--muted); }
.toolbar label.inline { flex-direction: row; align-items: center; gap: 6px; color: var(--fg); font-size: 0.95rem; }
select, button, input[type="checkbox"] { font: inherit; }
select, button { min-height: 36px; padding: 4px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--card); color: var(--fg); }
button { cursor: pointer; }
button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
.counts { display: flex; flex-wrap: wrap; gap: 8px; list-style: none; padding: 0; margin: 0 0 8px; }
.counts a { display: inline-flex; align-items: center; gap: 6px; padding: 6px 10px; border: 1px solid var(--line); border-radius: 999px; background: var(--card); text-decoration: none; color: var(--fg); }
.counts a[aria-current="true"] { border-color: var(--accent); box-shadow: inset 0 0 0 2px var(--accent); }
.counts strong { font-variant-numeric: tabular-nums; }
.status { display: inline-flex; align-items: center; gap: 4px; font-weight: 600; white-space: nowrap; }
.status::before { font-weight: 700; }
.status-Created { color: var(--created); } .status-Created::before { content: "○"; }
.status-Validated { color: var(--validated); } .status-Validated::before { content: "◐"; }
.status-Completed { color: var(--completed); } .status-Completed::before { content: "✓"; }
.status-Invalid { color: var(--invalid); } .status-Invalid::before { content: "✕"; }
.status-Failed { color: var(--failed); } .status-Failed::before { content: "!"; }
table { width: 100%; border-collapse: collapse; }
thead, tbody { background: var(--card); }
caption { display: block; text-align: left; padding: 6px 0; color: var(--muted); }
th, td { text-align: left; padding: 7px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 0.85rem; color: var(--muted); font-weight: 600; }
td.num { font-variant-numeric: tabular-nums; }
/*
 * The command list lays out only the rows on screen: each row is a grid of fixed columns and is
 * skipped (content-visibility) until it scrolls into view, so a thousand rows cost little more than twenty.
 */
#commands tbody tr { content-visibility: auto; contain-intrinsic-size: auto 38px; }
@media (min-width: 721px) {
  #commands, #commands thead, #commands tbody { display: block; }
  #commands tr { display: grid; grid-template-columns: 8.5rem minmax(8rem, 14%) minmax(0, 1fr) minmax(6rem, 9%) 16.5rem 16.5rem 5rem; }
  #commands td, #commands th { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
}
}
.pager { display: flex; gap: 16px; margin: 12px 0; }
.live-status { font-size: 0.85rem; color: var(--muted); margin: 0; }
.alert { border: 2px solid var(--invalid); background: var(--card); border-radius: 8px; padding: 10px 14px; margin: 12px 0; }
.alert h2 { margin-top: 0; color: var(--invalid); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 0 16px; }
.issues { margin: 4px 0; padding-left: 0; list-style: none; }
.issues li { padding: 4px 0; }
.tag { display: inline-block; font-size: 0.78rem; font-weight: 700; padding: 1px 6px; border-radius: 4px; border: 1px solid currentColor; margin-right: 6px; }
.tag-fatal { color: var(--invalid); } .tag-warning { color: var(--failed); }
.slider { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 14px; }
.slider input { flex: 1 1 220px; min-width: 0; accent-color: var(--accent); }
.axis { position: relative; margin: 8px 0 4px; }
.lane { position: relative; height: 34px; border-bottom: 1px dashed var(--line); margin: 0 22px 0 78px; }
.lane-name { position: absolute; left: -78px; top: 8px; width: 72px; font-size: 0.82rem; color: var(--muted); }
.marker { position: absolute; top: 4px; transform: translateX(-50%); white-space: nowrap; min-width: 26px; height: 26px; padding: 0 4px; border-radius: 13px; border: 2px solid; background: var(--card); font-size: 0.78rem; font-weight: 700; cursor: pointer; min-height: 0; }
.marker-log { color: var(--log); border-radius: 4px; }
.marker-validate { color: var(--validate); border-style: double; border-width: 3px; }
.marker-perform { color: var(--perform); }
.marker[aria-pressed="true"] { background: var(--fg); color: var(--bg); }
.marker.later { opacity: 0.45; }
.ticks { display: flex; justify-content: space-between; margin: 0 22px 0 78px; font-size: 0.8rem; color: var(--muted); }
.durations { display: flex; flex-wrap: wrap; gap: 6px 18px; list-style: none; padding: 0; margin: 8px 0 0; }
ol.events { list-style: none; padding: 0; margin: 0; }
ol.events > li { border-top: 1px solid var(--line); padding: 8px 0; }
ol.events > li.later { opacity: 0.55; }
.event-head { display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: baseline; }
.event-head .version { font-weight: 700; min-width: 3ch; }
.event-head .type { font-weight: 600; }
.step { font-size: 0.8rem; padding: 0 6px; border-radius: 4px; border: 1px solid; }
.step-log { color: var(--log); } .step-validate { color: var(--validate); } .step-perform { color: var(--perform); }
details > summary { cursor: pointer; color: var(--accent); margin-top: 4px; }
@media (max-width: 720px) {
  main { padding: 10px; }
  table.stack thead { position: absolute; left: -9999px; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack tr { border-bottom: 1px solid var(--line); padding: 6px 0; }
  #commands tbody tr { contain-intrinsic-size: auto 190px; }
  table.stack td { border: 0; padding: 2px 8px; display: grid; grid-template-columns: 7.5rem 1fr; gap: 8px; }
  table.stack td::before { content: attr(data-label); color: var(--muted); font-size: 0.85rem; }
  .lane, .ticks { margin-left: 64px; }
  .card { padding: 10px; }
  .lane-name { left: -64px; width: 60px; }
}
`;
