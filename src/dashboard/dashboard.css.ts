/**
 * The dashboard's one stylesheet, served from /ops/static/dashboard.css (no inline styles: the CSP
 * allows styles only from the gateway itself). Laid out for a 1366×768 office screen: nothing wider
 * than the window, long text wraps (docs/dashboard.md).
 */
export const DASHBOARD_CSS = `
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; font-family: "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: #1d2733;
  background: #f4f6f8; overflow-x: hidden; }
a { color: #0b5cad; }
.top { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem 1rem; padding: 0.5rem 1rem;
  background: #0d3b66; color: #fff; }
.top .brand { font-weight: 600; margin-right: 0.5rem; }
.top nav { display: flex; flex-wrap: wrap; gap: 0.2rem; flex: 1; }
.top nav a { color: #dfe9f3; text-decoration: none; padding: 0.3rem 0.6rem; border-radius: 4px; }
.top nav a.active, .top nav a:hover { background: #1f5c96; color: #fff; }
.top .signout { display: flex; align-items: center; gap: 0.5rem; margin: 0; }
.top .who { color: #dfe9f3; }
main { max-width: 1340px; margin: 0 auto; padding: 0.6rem 1rem 2rem; }
h1 { font-size: 1.45rem; margin: 0.4rem 0 0.8rem; }
h2 { font-size: 1.15rem; margin: 1.2rem 0 0.5rem; }
h3 { font-size: 1rem; margin: 0.2rem 0 0.4rem; font-weight: 600; }
button { font: inherit; padding: 0.3rem 0.8rem; border: 1px solid #0b5cad; background: #0b5cad; color: #fff;
  border-radius: 4px; cursor: pointer; }
button:hover { background: #084a8c; }
input, select { font: inherit; padding: 0.25rem 0.4rem; border: 1px solid #9aa8b6; border-radius: 4px; max-width: 100%; }
table.grid { width: 100%; border-collapse: collapse; background: #fff; margin-bottom: 0.8rem; }
table.grid caption { text-align: left; padding: 0.3rem 0; color: #4a5866; }
table.grid th, table.grid td { border: 1px solid #d5dde5; padding: 0.3rem 0.45rem; text-align: left;
  vertical-align: top; }
table.grid thead th { background: #e8eef4; font-weight: 600; }
table.grid.compact td, table.grid.compact th { padding: 0.2rem 0.4rem; }
table.grid.dense { font-size: 0.85rem; }
table.grid.dense td:first-child { min-width: 10rem; }
table.grid.dense th { overflow-wrap: normal; hyphens: auto; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.grid thead th.num { white-space: normal; }
td.wrap { overflow-wrap: anywhere; max-width: 26rem; }
tr.warn td, tr.warn th { background: #fff6e0; }
tr.bad td, tr.bad th { background: #fde8e8; }
td form { margin: 0; }
.muted { color: #66727f; }
.hint { color: #4a5866; font-size: 0.9rem; }
.empty { padding: 0.8rem; background: #fff; border: 1px dashed #b8c4cf; }
.notyet { padding: 0.8rem; background: #fff8e1; border: 1px solid #e6c65c; }
.flash { padding: 0.5rem 0.8rem; border-radius: 4px; }
.flash.ok { background: #e3f4e6; border: 1px solid #8cc796; }
.flash.error { background: #fde8e8; border: 1px solid #e39b9b; }
.status { padding: 0.5rem 0.8rem; background: #fff; border-left: 5px solid #2e8540; }
.status.degraded { border-left-color: #d99a00; }
.status.alert { border-left-color: #c0392b; }
.actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0.5rem 0; }
.actions form { margin: 0; }
.card { background: #fff; border: 1px solid #d5dde5; border-radius: 4px; padding: 0.6rem 0.8rem; margin-bottom: 0.8rem; }
.stack { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; background: #fff;
  padding: 0.6rem 0.8rem; border: 1px solid #d5dde5; }
.stack label { display: flex; flex-direction: column; gap: 0.2rem; }
.signin { max-width: 28rem; background: #fff; padding: 1rem; border: 1px solid #d5dde5; border-radius: 4px;
  display: flex; flex-direction: column; gap: 0.6rem; }
.signin input { width: 100%; }
dl.facts { display: grid; grid-template-columns: 12rem 1fr; gap: 0.3rem 1rem; background: #fff; padding: 0.8rem;
  border: 1px solid #d5dde5; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.good { color: #1e6b2f; }
.bad { color: #a12a1f; }
svg.timeline, svg.chart { width: 100%; height: auto; background: #fff; border: 1px solid #d5dde5; }
svg .tick { stroke: #c9d3dc; stroke-width: 1; }
svg .axis { font-size: 11px; fill: #4a5866; }
svg .name { font-size: 13px; fill: #1d2733; }
svg .up { fill: #cfe8d4; }
svg .down { fill: #c0392b; }
svg .bar { fill: #2f6fb0; }
svg .bar.late { fill: #c0392b; }
svg .bar.ontime { fill: #2e8540; }
svg .bar.overdue { fill: #d98e04; }
a.button { display: inline-block; padding: 0.3rem 0.8rem; border: 1px solid #0b5cad; border-radius: 4px;
  background: #fff; color: #0b5cad; text-decoration: none; }
a.button:hover { background: #e8eef4; }
svg .value { font-size: 11px; fill: #1d2733; }
`;
