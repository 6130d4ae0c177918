// The desk's one stylesheet, served as /desk.css (the CSP allows styles from 'self' only).
// Colour is never the only signal: deadlines and checks carry words and a symbol too.
enum DeskStylesheet {
    static let css = """
        :root { color-scheme: light dark; --fg: #1a1a1a; --bg: #ffffff; --muted: #4a4a4a; --line: #767676;
          --bad: #a4001d; --warn: #7a4b00; --ok: #1d6b2f; --accent: #0b4f8a; }
        @media (prefers-color-scheme: dark) {
          :root { --fg: #f0f0f0; --bg: #161616; --muted: #c8c8c8; --line: #9a9a9a;
            --bad: #ff8a9a; --warn: #ffc266; --ok: #8fe0a0; --accent: #9cc9ff; } }
        body { font: 1rem/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto;
          max-width: 72rem; padding: 0 1rem 2rem; }
        a { color: var(--accent); }
        a:focus, button:focus, input:focus, select:focus, textarea:focus { outline: 3px solid var(--accent); outline-offset: 2px; }
        .skip { position: absolute; left: -999px; }
        .skip:focus { position: static; }
        header { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center;
          border-bottom: 1px solid var(--line); }
        .brand { font-weight: bold; }
        nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 1rem; padding: 0; margin: 0; align-items: center; }
        nav form { margin: 0; }
        button { font: inherit; padding: .35rem .9rem; border: 1px solid var(--line); border-radius: .25rem;
          background: var(--bg); color: var(--fg); cursor: pointer; }
        textarea, input, select { font: inherit; max-width: 100%; color: var(--fg); background: var(--bg);
          border: 1px solid var(--line); }
        label { display: block; font-weight: bold; }
        table { border-collapse: collapse; width: 100%; }
        .table-scroll { overflow-x: auto; max-width: 100%; }
        .table-scroll:focus { outline: 3px solid var(--accent); outline-offset: 2px; }
        caption { text-align: start; font-weight: bold; padding: .5rem 0; }
        th, td { text-align: start; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        .clock-overdue { color: var(--bad); font-weight: bold; }
        .clock-due { color: var(--warn); font-weight: bold; }
        .new { color: var(--bad); }
        .thread { list-style: none; padding: 0; }
        .item { border: 1px solid var(--line); border-radius: .25rem; padding: 0 1rem; margin: 1rem 0; }
        .item-note, .item-coding, .item-case-data { border-style: dashed; }
        .meta { color: var(--muted); }
        .check-ok { color: var(--ok); }
        .check-warn { color: var(--warn); font-weight: bold; }
        .check-bad { color: var(--bad); font-weight: bold; }
        .text { white-space: normal; overflow-wrap: anywhere; }
        .error { border: 2px solid var(--bad); padding: 0 1rem; }
        .done { border: 2px solid var(--ok); padding: 0 1rem; }
        dt { font-weight: bold; }
        dd { margin: 0 0 .5rem 0; }
        .reporter-view { border: 1px solid var(--line); padding: 0 1rem; margin: .5rem 0 1rem; }
        .message-text { white-space: pre-wrap; overflow-wrap: anywhere; }
        .attachment-image { max-width: 100%; max-height: 20rem; border: 1px solid var(--line); }
        fieldset { border: 1px solid var(--line); margin: 0 0 1rem; }
        legend { font-weight: bold; }
        .choices { list-style: none; padding: 0; margin: .25rem 0; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; }
        .choices label { display: inline; font-weight: normal; }
        .hint { color: var(--muted); margin-top: 0; }
        .field-error { display: block; color: var(--bad); font-weight: bold; margin: .25rem 0; }
        [aria-invalid="true"] { border: 2px solid var(--bad); }
        .pending { font-weight: bold; }
        .num { text-align: end; font-variant-numeric: tabular-nums; }
        .chart { max-width: 100%; height: auto; display: block; margin: 1rem 0; }
        .chart text { fill: currentColor; font-size: 14px; }
        .bar-bg { fill: var(--bg); }
        .bar-hatch { stroke: var(--accent); }
        .bar { stroke: var(--fg); stroke-width: 1; }
        .chart-hidden { font-style: italic; }
        .stats-links { list-style: none; display: flex; gap: 1.5rem; padding: 0; }
        .verdict { padding: 0 1rem; margin: 1rem 0; }
        .verdict-ok { border: 2px solid var(--ok); }
        .verdict-bad { border: 4px double var(--bad); }
        .audit-day { background: transparent; font-weight: bold; padding-top: 1rem; }
        @media print {
          header nav, .skip, form, .stats-links { display: none; }
          body { max-width: none; color: #000; background: #fff; }
          .chart, .stats-table, section.stats { break-inside: avoid; }
          a { color: #000; text-decoration: none; } }
        @media (forced-colors: active) { .clock-overdue, .clock-due, .check-bad, .check-warn { text-decoration: underline; } }

        """
}
