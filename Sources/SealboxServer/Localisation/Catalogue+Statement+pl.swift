extension Catalogue {
    static let polishStatement: [String: String] = [
        "footer.accessibility": "Deklaracja dostępności",
        "a11y.title": "Deklaracja dostępności",
        "a11y.intro": "{0} chce, aby wszyscy mogli dobrze korzystać z tej strony internetowej. Niniejsza deklaracja dotyczy tej strony do składania zgłoszeń.",
        "a11y.status.heading": "Na ile ta strona internetowa jest dostępna?",
        "a11y.status.text": "Strona internetowa ma spełniać wymagania WCAG 2.1 na poziomie AA (EN 301 549). Każda strona jest automatycznie sprawdzana przy każdej zmianie za pomocą axe-core i Nu HTML Checker. Wszystkie strony działają bez JavaScript i przy użyciu klawiatury.",
        "a11y.limits.heading": "Co nie jest jeszcze dostępne",
        "a11y.limits.text": "Tłumaczeń na języki inne niż niemiecki i angielski nie sprawdził jeszcze żaden specjalista. Jeśli coś Państwo zauważą, prosimy do nas napisać.",
        "a11y.feedback.heading": "Zgłoś barierę",
        "a11y.feedback.text": "Jeśli znajdą Państwo barierę lub potrzebują treści w innej formie, prosimy o kontakt: {0}",
        "a11y.enforcement.heading": "Postępowanie polubowne",
        "a11y.enforcement.text": "Jeśli nie są Państwo zadowoleni z naszej odpowiedzi, mogą Państwo zwrócić się do organu ds. postępowania polubownego na podstawie NBGG (Dolnosaksońskiej ustawy o równouprawnieniu osób z niepełnosprawnościami).",
        "dgs.heading": "W niemieckim języku migowym",
        "dgs.text": "Film wyjaśnia w niemieckim języku migowym, jak napisać zgłoszenie. Film ma napisy.",
    ]
}
