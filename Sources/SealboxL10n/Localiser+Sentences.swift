// One sentence per line, as Leichte Sprache asks: in a language whose `_language` sets
// `sentence_lines`, a catalogue text with several sentences is shown as separate lines.
// Rule: the text is split before its placeholders are filled in, so that nothing a
// placeholder brings (an office's name, an address, a date) is ever split.

extension Localiser {
    /// The text of `key` with `args` filled in, as lines: one per sentence in a language
    /// with sentence lines, else the whole text as one line.
    public func lines(_ key: String, _ args: [String] = []) -> [String] {
        let template = self[key]
        guard language.sentenceLines else { return [Self.substitute(template, args)] }
        return Self.sentences(template).map { Self.substitute($0, args) }
    }

    /// `text` cut after each `.`, `?` or `!` that is followed by a space and a capital
    /// letter, a digit, an opening quote or a placeholder (but not after an ordinal
    /// such as "1. Januar": a number of one or two digits); trimmed, none empty.
    static func sentences(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            current.append(character)
            let ordinal = character == "." && Self.endsInOrdinal(characters[..<index])
            if ".?!".contains(character), !ordinal, index + 2 < characters.count, characters[index + 1] == " ",
               startsSentence(characters[index + 2]) {
                result.append(current.trimmingSpaces())
                current = ""
                index += 1
            }
            index += 1
        }
        let last = current.trimmingSpaces()
        if !last.isEmpty { result.append(last) }
        return result
    }

    /// Whether the text before a full stop ends in a number of one or two digits ("1", "24"),
    /// which with the stop is an ordinal ("1. Januar"), not the end of a sentence.
    private static func endsInOrdinal(_ before: ArraySlice<Character>) -> Bool {
        let digits = before.reversed().prefix { $0.isNumber }.count
        guard (1...2).contains(digits) else { return false }
        let rest = before.dropLast(digits)
        return rest.last.map { !$0.isLetter && !$0.isNumber } ?? true
    }

    private static func startsSentence(_ character: Character) -> Bool {
        character.isUppercase || character.isNumber || character == "„" || character == "{"
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var slice = Substring(self)
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}
