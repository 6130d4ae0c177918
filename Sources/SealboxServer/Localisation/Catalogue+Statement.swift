// The accessibility statement and the sign-language slot, German and English
// (the other languages have Catalogue+Statement+TAG.swift).
// Reviewed by: not yet reviewed by the office.

extension Catalogue {
    static let germanStatement: [String: String] = [
        "footer.accessibility": "Erklärung zur Barrierefreiheit",
        "a11y.title": "Erklärung zur Barrierefreiheit",
        "a11y.intro": "{0} möchte, dass alle Menschen diese Website gut nutzen können. Diese Erklärung gilt für diese Meldestelle.",
        "a11y.status.heading": "Wie barrierefrei ist die Website?",
        "a11y.status.text": "Die Website soll die Anforderungen der WCAG 2.1 auf Stufe AA erfüllen (EN 301 549). Jede Seite wird bei jeder Änderung automatisch mit axe-core und dem Nu HTML Checker geprüft. Alle Seiten funktionieren ohne JavaScript und mit der Tastatur.",
        "a11y.limits.heading": "Was noch nicht barrierefrei ist",
        "a11y.limits.text": "Die Übersetzungen in andere Sprachen als Deutsch und Englisch hat noch keine Fachperson geprüft. Wenn Ihnen etwas auffällt, schreiben Sie uns bitte.",
        "a11y.feedback.heading": "Eine Barriere melden",
        "a11y.feedback.text": "Wenn Sie eine Barriere finden oder Inhalte in einer anderen Form brauchen, wenden Sie sich an: {0}",
        "a11y.enforcement.heading": "Schlichtung",
        "a11y.enforcement.text": "Wenn Sie mit unserer Antwort nicht zufrieden sind, können Sie sich an die Schlichtungsstelle nach dem Niedersächsischen Behindertengleichstellungsgesetz (NBGG) wenden.",
        "dgs.heading": "In Deutscher Gebärdensprache",
        "dgs.text": "Das Video erklärt in Deutscher Gebärdensprache, wie Sie eine Meldung schreiben. Es hat Untertitel.",
    ]

    static let englishStatement: [String: String] = [
        "footer.accessibility": "Accessibility statement",
        "a11y.title": "Accessibility statement",
        "a11y.intro": "{0} wants everyone to be able to use this website well. This statement covers this reporting site.",
        "a11y.status.heading": "How accessible is this website?",
        "a11y.status.text": "The website aims to meet WCAG 2.1 level AA (EN 301 549). Every page is checked automatically with axe-core and the Nu HTML checker whenever it changes. All pages work without JavaScript and with the keyboard.",
        "a11y.limits.heading": "What is not yet accessible",
        "a11y.limits.text": "No professional has checked the translations other than German and English yet. If you notice anything, please tell us.",
        "a11y.feedback.heading": "Report a barrier",
        "a11y.feedback.text": "If you find a barrier or need content in another form, please contact: {0}",
        "a11y.enforcement.heading": "Conciliation",
        "a11y.enforcement.text": "If you are not satisfied with our answer, you can turn to the conciliation body under the Lower Saxony Disability Equality Act (NBGG).",
        "dgs.heading": "In German Sign Language",
        "dgs.text": "The video explains in German Sign Language how to write a report. It has captions.",
    ]
}
