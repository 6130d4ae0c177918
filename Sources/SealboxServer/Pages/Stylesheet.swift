// The one stylesheet, served at /static/sealbox.css (the CSP allows no inline
// style). Rules it enforces: text contrast ≥ 4.5:1 (the pairs are listed in
// `Palette.pairs` and checked by the tests), a visible focus on everything,
// no horizontal scroll at 320 CSS px, logical properties so right-to-left
// pages mirror, respect for forced-colors and prefers-reduced-motion, and a
// print style that turns the confirmation into a one-page receipt.

/// Colours of the pages.
enum Palette {
    static let text = "#1b1b1b"
    static let background = "#ffffff"
    static let muted = "#464646"
    static let link = "#0b4ea2"
    static let linkVisited = "#5b2a86"
    static let buttonText = "#ffffff"
    static let button = "#0b4ea2"
    static let buttonHover = "#083a78"
    static let error = "#b3261e"
    static let band = "#f0f1f3"
    static let focus = "#ffdd00"
    static let panel = "#f3f6fb"
    static let warningBackground = "#fdf1f0"

    /// Foreground and background pairs that carry text, each to meet 4.5:1.
    static let pairs: [(name: String, foreground: String, background: String)] = [
        ("text", text, background), ("muted", muted, background), ("link", link, background),
        ("visited", linkVisited, background), ("button", buttonText, button),
        ("button hover", buttonText, buttonHover), ("error", error, background),
        ("header text", text, band), ("header link", link, band), ("muted on band", muted, band),
        ("focus", text, focus), ("panel text", text, panel), ("panel link", link, panel),
        ("warning", text, warningBackground), ("error on warning", error, warningBackground),
    ]
}

/// The stylesheet.
public enum Stylesheet {
    /// The content of `/static/sealbox.css`.
    public static let css: String = """
    /* Sealbox – one stylesheet, no external resources, no web fonts. */
    *, *::before, *::after { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
    body {
      margin: 0;
      font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", Tahoma, Arial, sans-serif;
      font-size: 1.125rem;
      line-height: 1.55;
      color: \(Palette.text);
      background: \(Palette.background);
      overflow-wrap: break-word;
    }
    .wrap { max-width: 44rem; margin-inline: auto; padding-inline: 1rem; }
    h1, h2, h3 { line-height: 1.25; margin-block: 1.5em 0.5em; }
    h1 { font-size: 2rem; margin-block-start: 1rem; }
    h2 { font-size: 1.5rem; }
    h3 { font-size: 1.2rem; }
    p, ul, dl { margin-block: 0 1em; }
    ul { padding-inline-start: 1.5rem; }
    li { margin-block-end: 0.4em; }
    .lead { font-size: 1.25rem; }
    img { max-width: 100%; height: auto; }

    a { color: \(Palette.link); text-decoration-thickness: 0.08em; text-underline-offset: 0.15em; }
    a:visited { color: \(Palette.linkVisited); }
    a:hover { text-decoration-thickness: 0.2em; }

    /* Focus: always visible, yellow with a dark underline bar (works on light and blue). */
    :focus { outline: 3px solid transparent; }
    :focus-visible, a:focus, button:focus, input:focus, textarea:focus, select:focus, summary:focus {
      outline: 3px solid \(Palette.text);
      outline-offset: 2px;
      box-shadow: 0 0 0 6px \(Palette.focus);
    }
    a:focus, .link-button:focus { background: \(Palette.focus); color: \(Palette.text); box-shadow: 0 4px 0 \(Palette.text); outline: 3px solid transparent; text-decoration: none; }
    main:focus, .error-summary:focus { box-shadow: none; }
    main:focus { outline: none; }

    .skip-link {
      position: absolute; inset-inline-start: 0.5rem; top: -100rem;
      padding: 0.5rem 1rem; background: \(Palette.focus); color: \(Palette.text); z-index: 10;
    }
    .skip-link:focus { top: 0.5rem; }
    .visually-hidden {
      position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0;
      overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0;
      -webkit-user-select: none; user-select: none;
    }
    .print-only { display: none; }

    /* Header, navigation, footer */
    .site-header { background: \(Palette.band); border-block-end: 4px solid \(Palette.button); }
    .header-row { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1rem; padding-block: 0.75rem; }
    .office-name { margin: 0; font-weight: 700; font-size: 1.15rem; }
    .office-name a { color: \(Palette.text); text-decoration: none; }
    .office-name a:hover { text-decoration: underline; }
    .lang-switch ul, .site-nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
    .lang-switch li, .site-nav li { margin: 0; }
    .lang-switch a, .link-button { display: inline-block; padding-block: 0.35rem; min-height: 44px; line-height: 2; }
    .lang-switch [aria-current="true"] { font-weight: 700; text-decoration: none; color: \(Palette.text); }
    .site-nav { border-block-start: 1px solid #c8c8c8; }
    .site-nav a { display: inline-block; padding-block: 0.5rem; min-height: 44px; line-height: 2; }
    .site-nav [aria-current="page"] { font-weight: 700; color: \(Palette.text); }
    .link-button {
      font: inherit; color: \(Palette.link); background: none; border: 0; padding-inline: 0;
      text-decoration: underline; text-underline-offset: 0.15em; cursor: pointer;
    }
    main { display: block; padding-block: 1rem 3rem; }
    .site-footer { background: \(Palette.band); color: \(Palette.text); padding-block: 1.5rem; font-size: 1rem; border-block-start: 1px solid #c8c8c8; }
    .site-footer p { margin-block: 0 0.5em; }

    /* Buttons */
    .button {
      display: inline-block; font: inherit; font-weight: 700; line-height: 1.3;
      padding: 0.75rem 1.25rem; min-height: 44px;
      color: \(Palette.buttonText); background: \(Palette.button);
      border: 2px solid transparent; border-radius: 4px; box-shadow: 0 3px 0 \(Palette.text);
      text-decoration: none; cursor: pointer; max-width: 100%;
    }
    .button:visited { color: \(Palette.buttonText); }
    .button:hover { background: \(Palette.buttonHover); color: \(Palette.buttonText); }
    .button:focus { background: \(Palette.focus); color: \(Palette.text); box-shadow: 0 3px 0 \(Palette.text); outline: 3px solid transparent; }
    .button-large { font-size: 1.3rem; padding: 1rem 1.5rem; }
    .button-secondary { background: \(Palette.background); color: \(Palette.button); border: 2px solid \(Palette.button); }
    .button-secondary:visited { color: \(Palette.button); }
    .input-code { font-size: 1.5rem; letter-spacing: 0.1em; direction: ltr; max-width: 22rem; }
    .thread { list-style: none; padding-inline-start: 0; }
    .message { border-inline-start: 6px solid \(Palette.button); background: \(Palette.panel); padding: 0.75rem 1rem; margin-block-end: 1rem; }
    .message-team { border-inline-start-color: \(Palette.text); }
    .message h3 { margin-block: 0 0.5em; font-size: 1.1rem; }
    .message-day { font-weight: 400; }
    .message-text { white-space: pre-wrap; overflow-wrap: anywhere; }
    .attachments { margin-block-end: 0.25em; font-weight: 700; }
    .call-to-action { margin-block: 1.5rem; }

    /* Form */
    .field { margin-block: 0 2rem; }
    fieldset { border: 0; padding: 0; margin-inline: 0; min-width: 0; }
    legend { font-weight: 700; font-size: 1.2rem; padding: 0; margin-block-end: 0.25rem; }
    label { display: block; font-weight: 700; margin-block-end: 0.25rem; }
    .hint { color: \(Palette.muted); margin-block-end: 0.5rem; }
    .hint p { margin-block: 0 0.4em; }
    input[type="text"], textarea {
      display: block; width: 100%; font: inherit; padding: 0.5rem;
      color: \(Palette.text); background: \(Palette.background);
      border: 2px solid \(Palette.text); border-radius: 0;
    }
    textarea { min-height: 8rem; resize: vertical; }
    input[type="file"] { display: block; max-width: 100%; font: inherit; padding-block: 0.25rem; }
    .choices { display: grid; gap: 0.35rem; }
    .choice { display: flex; align-items: flex-start; gap: 0.6rem; }
    .choice input { flex: none; width: 1.5rem; height: 1.5rem; margin: 0.15rem 0 0; accent-color: \(Palette.button); }
    .choice label { font-weight: 400; margin: 0; }
    .field-has-error { border-inline-start: 5px solid \(Palette.error); padding-inline-start: 0.75rem; }
    .field-has-error input[type="text"], .field-has-error textarea { border-color: \(Palette.error); }
    .field-error { color: \(Palette.error); font-weight: 700; margin-block-end: 0.5rem; }
    .notice { font-weight: 700; }
    .error-summary {
      border: 4px solid \(Palette.error); padding: 1rem; margin-block: 1rem 2rem;
    }
    .error-summary:focus { outline: 3px solid \(Palette.focus); outline-offset: 0; }
    .error-summary h2 { margin-block-start: 0; font-size: 1.35rem; }
    .error-summary ul { margin: 0; }
    .error-summary a { color: \(Palette.error); font-weight: 700; }
    .error-summary a:focus { color: \(Palette.text); }
    .before-submit { font-weight: 700; }

    /* Confirmation: the code, made to be kept */
    .receipt { background: \(Palette.panel); border: 2px solid \(Palette.button); padding: 1rem; margin-block: 1.5rem; }
    .receipt h2:first-child { margin-block-start: 0; }
    .code {
      font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace;
      font-size: 2.25rem; font-weight: 700; line-height: 1.3; letter-spacing: 0.05em;
      font-variant-numeric: tabular-nums; margin-block: 0.5rem 1rem;
    }
    .code-groups { display: flex; flex-wrap: wrap; gap: 0 0.75em; direction: ltr; }
    .code-groups span { white-space: nowrap; }
    .case-reference { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-weight: 700; letter-spacing: 0.05em; }
    .facts div { display: flex; flex-wrap: wrap; gap: 0 0.5rem; }
    .facts dt { font-weight: 700; }
    .facts dt::after { content: ":"; }
    .facts dd { margin: 0; }
    .warning { background: \(Palette.warningBackground); border-inline-start: 6px solid \(Palette.error); padding: 0.75rem 1rem; margin-block: 1rem; }
    .warning p { margin: 0; }
    .receipt-download { margin-block: 1rem; }
    .status-code { color: \(Palette.muted); }

    @media (max-width: 30rem) {
      body { font-size: 1.0625rem; }
      h1 { font-size: 1.65rem; }
      .code { font-size: 1.85rem; }
      .button-large { font-size: 1.15rem; }
    }

    @media (prefers-reduced-motion: reduce) {
      *, *::before, *::after { animation: none !important; transition: none !important; scroll-behavior: auto !important; }
    }

    @media (forced-colors: active) {
      .button, .error-summary, .receipt, .warning, .field-has-error { border: 2px solid CanvasText; forced-color-adjust: auto; }
      :focus-visible, a:focus, button:focus, input:focus, textarea:focus, .link-button:focus { outline: 3px solid Highlight; outline-offset: 2px; }
      .skip-link:focus { outline: 3px solid Highlight; }
      .lang-switch [aria-current="true"], .site-nav [aria-current="page"] { text-decoration: underline; }
    }

    @media print {
      @page { margin: 2cm; }
      body { font-size: 12pt; color: #000; background: #fff; }
      .skip-link, .site-header, .site-nav, .lang-switch, .site-footer, .no-print, form, button, .button { display: none !important; }
      .print-only { display: block; font-weight: 700; }
      .wrap { max-width: none; padding: 0; }
      main { padding: 0; }
      a { color: #000; text-decoration: none; }
      h1 { font-size: 18pt; margin-block-start: 0; }
      h2 { font-size: 14pt; margin-block-start: 1em; }
      .receipt { border: 2px solid #000; background: none; padding: 1em; margin: 0; page-break-inside: avoid; break-inside: avoid; }
      .code { font-size: 26pt; }
      .warning { background: none; border: 1px solid #000; border-inline-start: 6px solid #000; }
    }

    """
}
