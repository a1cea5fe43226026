/** The page's one stylesheet, served as /style.css (the CSP allows styles from 'self' only, none inline). */
export const STYLESHEET = `
:root { color-scheme: light; --ok: #1b7f3b; --warning: #9a6700; --error: #b42318; --line: #d0d7de; --muted: #57606a; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
header { background: #24292f; color: #fff; padding: 0.8rem 1.5rem; display: flex; align-items: center; gap: 1rem; flex-wrap: wrap; }
header h1 { font-size: 1.2rem; margin: 0; flex: 1; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: 1rem 0; padding: 0.8rem 1rem; }
h2 { font-size: 1.05rem; margin: 0 0 0.6rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 0.85rem; }
code, .mono { font-family: ui-monospace, monospace; font-size: 0.88em; overflow-wrap: anywhere; }
td.name code, td.mono { overflow-wrap: normal; white-space: nowrap; }
.badge { display: inline-block; border-radius: 1rem; padding: 0.05rem 0.6rem; font-weight: 600; font-size: 0.85rem; color: #fff; }
.badge.ok { background: var(--ok); }
.badge.warning { background: var(--warning); }
.badge.error { background: var(--error); }
.code { display: inline-block; margin: 0 0.3rem 0.2rem 0; }
.finding { margin: 0.3rem 0 0.5rem; padding-left: 0.6rem; border-left: 3px solid var(--line); }
.finding.error { border-color: var(--error); }
.finding.warning { border-color: var(--warning); }
.finding p { margin: 0.1rem 0; }
.muted { color: var(--muted); font-size: 0.88rem; }
.notice { border-left: 4px solid var(--error); padding: 0.4rem 0.8rem; background: #fff5f5; }
form { margin: 0; }
button { font: inherit; font-weight: 600; padding: 0.35rem 1rem; border-radius: 6px; border: 1px solid #1b1f2426; background: #2da44e; color: #fff; cursor: pointer; }
details summary { cursor: pointer; font-weight: 600; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0.6rem 0 0; }
dt { color: var(--muted); }
dd { margin: 0; }
`;
