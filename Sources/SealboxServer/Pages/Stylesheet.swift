// The one stylesheet, served at /static/sealbox.css (the CSP allows no inline
// style). Rules it enforces: text contrast ≥ 4.5:1 (the pairs are listed in
// `Palette.pairs` and checked by the tests), a visible focus on everything,
// no horizontal scroll at 320 CSS px, logical properties so right-to-left
// pages mirror, respect for forced-colors and prefers-reduced-motion, and a
// print style that turns the confirmation into a one-page receipt.

import Foundation

/// Colours of the pages. An office may set its own (configuration `office.colors.*`);
/// the daemon refuses to start when a pair that carries text falls below 4.5:1.
public struct Palette: Sendable, Equatable {
    public var text = "#1b1b1b"
    public var background = "#ffffff"
    public var muted = "#464646"
    public var link = "#0b4ea2"
    public var linkVisited = "#5b2a86"
    public var buttonText = "#ffffff"
    public var button = "#0b4ea2"
    public var buttonHover = "#083a78"
    public var error = "#b3261e"
    public var band = "#f0f1f3"
    public var focus = "#ffdd00"
    public var panel = "#f3f6fb"
    public var warningBackground = "#fdf1f0"

    public init() {}

    /// Sealbox's own colours.
    public static let standard = Palette()

    /// The colour names an office can set, as written in the configuration.
    public static let names = [
        "text", "background", "muted", "link", "link_visited", "button_text", "button", "button_hover",
        "error", "band", "focus", "panel", "warning_background",
    ]

    /// Sets the colour `name` (one of `names`) to `value` (`#rrggbb`); false when either is unknown.
    public mutating func set(_ name: String, to value: String) -> Bool {
        guard Self.isHexColour(value) else { return false }
        let v = value.lowercased()
        switch name {
        case "text": text = v
        case "background": background = v
        case "muted": muted = v
        case "link": link = v
        case "link_visited": linkVisited = v
        case "button_text": buttonText = v
        case "button": button = v
        case "button_hover": buttonHover = v
        case "error": error = v
        case "band": band = v
        case "focus": focus = v
        case "panel": panel = v
        case "warning_background": warningBackground = v
        default: return false
        }
        return true
    }

    static func isHexColour(_ value: String) -> Bool {
        value.count == 7 && value.first == "#" && value.dropFirst().allSatisfy(\.isHexDigit)
    }

    /// Foreground and background pairs that carry text, each to meet 4.5:1.
    public var pairs: [(name: String, foreground: String, background: String)] {
        [
            ("text on background", text, background), ("muted on background", muted, background),
            ("link on background", link, background), ("link_visited on background", linkVisited, background),
            ("button_text on button", buttonText, button), ("button_text on button_hover", buttonText, buttonHover),
            ("error on background", error, background), ("text on band", text, band), ("link on band", link, band),
            ("muted on band", muted, band), ("text on focus", text, focus), ("text on panel", text, panel),
            ("link on panel", link, panel), ("text on warning_background", text, warningBackground),
            ("error on warning_background", error, warningBackground),
        ]
    }

    /// The pairs below 4.5:1, with their ratio.
    public var failingPairs: [(name: String, ratio: Double)] {
        pairs.compactMap { pair in
            let ratio = Palette.contrast(pair.foreground, pair.background)
            return ratio < 4.5 ? (pair.name, ratio) : nil
        }
    }

    /// WCAG 2.1 contrast ratio of two `#rrggbb` colours.
    public static func contrast(_ a: String, _ b: String) -> Double {
        let la = luminance(a), lb = luminance(b)
        return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
    }

    static func luminance(_ hex: String) -> Double {
        let value = Int(hex.dropFirst(), radix: 16) ?? 0
        let channels = [(value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF].map { channel -> Double in
            let c = Double(channel) / 255
            return c <= 0.03928 ? c / 12.92 : Foundation.pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    }
}

/// The stylesheet.
public enum Stylesheet {
    /// The content of `/static/sealbox.css` in Sealbox's own colours.
    public static let css: String = css(.standard)

    /// The stylesheet in the colours of `p`.
    public static func css(_ p: Palette) -> String {
        """
    /* Sealbox – one stylesheet, no external resources, no web fonts. */
    *, *::before, *::after { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
    body {
      margin: 0;
      font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", Tahoma, Arial, sans-serif;
      font-size: 1.125rem;
      line-height: 1.55;
      color: \(p.text);
      background: \(p.background);
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

    a { color: \(p.link); text-decoration-thickness: 0.08em; text-underline-offset: 0.15em; }
    a:visited { color: \(p.linkVisited); }
    a:hover { text-decoration-thickness: 0.2em; }

    /* Focus: always visible, yellow with a dark underline bar (works on light and blue). */
    :focus { outline: 3px solid transparent; }
    :focus-visible, a:focus, button:focus, input:focus, textarea:focus, select:focus, summary:focus {
      outline: 3px solid \(p.text);
      outline-offset: 2px;
      box-shadow: 0 0 0 6px \(p.focus);
    }
    a:focus, .link-button:focus { background: \(p.focus); color: \(p.text); box-shadow: 0 4px 0 \(p.text); outline: 3px solid transparent; text-decoration: none; }
    main:focus, .error-summary:focus { box-shadow: none; }
    main:focus { outline: none; }

    .skip-link {
      position: absolute; inset-inline-start: 0.5rem; top: -100rem;
      padding: 0.5rem 1rem; background: \(p.focus); color: \(p.text); z-index: 10;
    }
    .skip-link:focus { top: 0.5rem; }
    .visually-hidden {
      position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0;
      overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0;
      -webkit-user-select: none; user-select: none;
    }
    .print-only { display: none; }

    /* Header, navigation, footer */
    .site-header { background: \(p.band); border-block-end: 4px solid \(p.button); }
    .header-row { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1rem; padding-block: 0.75rem; }
    .office-name { margin: 0; font-weight: 700; font-size: 1.15rem; }
    .office-name a { color: \(p.text); text-decoration: none; }
    .office-name a:hover { text-decoration: underline; }
    .lang-switch ul, .site-nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
    .lang-switch li, .site-nav li { margin: 0; }
    .lang-switch a, .link-button { display: inline-block; padding-block: 0.35rem; min-height: 44px; line-height: 2; }
    .lang-switch [aria-current="true"] { font-weight: 700; text-decoration: none; color: \(p.text); }
    .site-nav { border-block-start: 1px solid #c8c8c8; }
    .site-nav a { display: inline-block; padding-block: 0.5rem; min-height: 44px; line-height: 2; }
    .site-nav [aria-current="page"] { font-weight: 700; color: \(p.text); }
    .link-button {
      font: inherit; color: \(p.link); background: none; border: 0; padding-inline: 0;
      text-decoration: underline; text-underline-offset: 0.15em; cursor: pointer;
    }
    main { display: block; padding-block: 1rem 3rem; }
    .site-footer { background: \(p.band); color: \(p.text); padding-block: 1.5rem; font-size: 1rem; border-block-start: 1px solid #c8c8c8; }
    .site-footer p { margin-block: 0 0.5em; }
    .footer-links { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0 1.5rem; }
    .footer-links a { display: inline-block; padding-block: 0.35rem; min-height: 44px; line-height: 2; }
    .imprint-text, .configured-text { white-space: pre-line; }

    /* Buttons */
    .button {
      display: inline-block; font: inherit; font-weight: 700; line-height: 1.3;
      padding: 0.75rem 1.25rem; min-height: 44px;
      color: \(p.buttonText); background: \(p.button);
      border: 2px solid transparent; border-radius: 4px; box-shadow: 0 3px 0 \(p.text);
      text-decoration: none; cursor: pointer; max-width: 100%;
    }
    .button:visited { color: \(p.buttonText); }
    .button:hover { background: \(p.buttonHover); color: \(p.buttonText); }
    .button:focus { background: \(p.focus); color: \(p.text); box-shadow: 0 3px 0 \(p.text); outline: 3px solid transparent; }
    .button-large { font-size: 1.3rem; padding: 1rem 1.5rem; }
    .button-secondary { background: \(p.background); color: \(p.button); border: 2px solid \(p.button); }
    .button-secondary:visited { color: \(p.button); }
    .input-code { font-size: 1.5rem; letter-spacing: 0.1em; direction: ltr; max-width: 22rem; }
    .thread { list-style: none; padding-inline-start: 0; }
    .message { border-inline-start: 6px solid \(p.button); background: \(p.panel); padding: 0.75rem 1rem; margin-block-end: 1rem; }
    .message-team { border-inline-start-color: \(p.text); }
    .message h3 { margin-block: 0 0.5em; font-size: 1.1rem; }
    .message-day { font-weight: 400; }
    .logo { display: inline-block; vertical-align: middle; max-height: 3rem; width: auto; margin-inline-end: 0.5rem; }
    .dgs-video { width: 100%; max-width: 40rem; height: auto; }
    .message-text { white-space: pre-wrap; overflow-wrap: anywhere; }
    .attachments { margin-block-end: 0.25em; font-weight: 700; }
    .call-to-action { margin-block: 1.5rem; }

    /* Form */
    .field { margin-block: 0 2rem; }
    fieldset { border: 0; padding: 0; margin-inline: 0; min-width: 0; }
    legend { font-weight: 700; font-size: 1.2rem; padding: 0; margin-block-end: 0.25rem; }
    label { display: block; font-weight: 700; margin-block-end: 0.25rem; }
    .hint { color: \(p.muted); margin-block-end: 0.5rem; }
    .hint p { margin-block: 0 0.4em; }
    input[type="text"], textarea {
      display: block; width: 100%; font: inherit; padding: 0.5rem;
      color: \(p.text); background: \(p.background);
      border: 2px solid \(p.text); border-radius: 0;
    }
    textarea { min-height: 8rem; resize: vertical; }
    input[type="file"] { display: block; max-width: 100%; font: inherit; padding-block: 0.25rem; }
    .choices { display: grid; gap: 0.35rem; }
    .choice { display: flex; align-items: flex-start; gap: 0.6rem; }
    .choice input { flex: none; width: 1.5rem; height: 1.5rem; margin: 0.15rem 0 0; accent-color: \(p.button); }
    .choice label { font-weight: 400; margin: 0; }
    .date-inputs { display: flex; flex-wrap: wrap; gap: 1rem; }
    .date-inputs input[type="text"] { width: 4.5rem; direction: ltr; }
    .date-inputs .date-year input[type="text"] { width: 6.5rem; }
    .field-has-error { border-inline-start: 5px solid \(p.error); padding-inline-start: 0.75rem; }
    .field-has-error input[type="text"], .field-has-error textarea { border-color: \(p.error); }
    .field-error { color: \(p.error); font-weight: 700; margin-block-end: 0.5rem; }
    .notice { font-weight: 700; }
    .error-summary {
      border: 4px solid \(p.error); padding: 1rem; margin-block: 1rem 2rem;
    }
    .error-summary:focus { outline: 3px solid \(p.focus); outline-offset: 0; }
    .error-summary h2 { margin-block-start: 0; font-size: 1.35rem; }
    .error-summary ul { margin: 0; }
    .error-summary a { color: \(p.error); font-weight: 700; }
    .error-summary a:focus { color: \(p.text); }
    .before-submit { font-weight: 700; }

    /* Confirmation: the code, made to be kept */
    .receipt { background: \(p.panel); border: 2px solid \(p.button); padding: 1rem; margin-block: 1.5rem; }
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
    .warning { background: \(p.warningBackground); border-inline-start: 6px solid \(p.error); padding: 0.75rem 1rem; margin-block: 1rem; }
    .warning p { margin: 0; }
    .receipt-download { margin-block: 1rem; }
    .status-code { color: \(p.muted); }

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
}
