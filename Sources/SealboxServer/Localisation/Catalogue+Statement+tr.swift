extension Catalogue {
    static let turkishStatement: [String: String] = [
        "footer.accessibility": "Erişilebilirlik beyanı",
        "a11y.title": "Erişilebilirlik beyanı",
        "a11y.intro": "{0}, herkesin bu web sitesini rahatça kullanabilmesini istiyor. Bu beyan, bu bildirim sitesi için geçerlidir.",
        "a11y.status.heading": "Bu web sitesi ne kadar erişilebilir?",
        "a11y.status.text": "Web sitesi, WCAG 2.1 AA düzeyinin gereksinimlerini karşılamayı amaçlar (EN 301 549). Her sayfa, her değişiklikte axe-core ve Nu HTML Checker ile otomatik olarak kontrol edilir. Tüm sayfalar JavaScript olmadan ve klavyeyle çalışır.",
        "a11y.limits.heading": "Henüz erişilebilir olmayanlar",
        "a11y.limits.text": "Almanca ve İngilizce dışındaki dillere yapılan çevirileri henüz hiçbir uzman kontrol etmedi. Bir şey dikkatinizi çekerse lütfen bize yazın.",
        "a11y.feedback.heading": "Bir engeli bildirin",
        "a11y.feedback.text": "Bir engelle karşılaşırsanız veya içeriklere başka bir biçimde ihtiyacınız varsa lütfen şuraya başvurun: {0}",
        "a11y.enforcement.heading": "Uzlaştırma",
        "a11y.enforcement.text": "Cevabımızdan memnun kalmazsanız NBGG'ye (Aşağı Saksonya Engellilerin Eşitliği Yasası) göre kurulan uzlaştırma kuruluna başvurabilirsiniz.",
        "dgs.heading": "Alman İşaret Dilinde",
        "dgs.text": "Video, Alman İşaret Dilinde bir bildirimi nasıl yazacağınızı anlatır. Videoda altyazı vardır.",
    ]
}
