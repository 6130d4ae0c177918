// The desk's full-text search (docs/design/DESK.md §6): an inverted index of normalised
// words → cases, over the decrypted texts of the cases, in memory only.
//
// Rules this file enforces:
// - a word is a run of letters and digits, case-folded and with its diacritics folded
//   ("Müller" and "MULLER" both become "muller"), so a search finds it either way;
// - a search word matches every indexed word it is a prefix of; several search words
//   must all match (AND);
// - the index never grows past its memory budget: text that would exceed it is left
//   out and the index says it is incomplete;
// - nothing of it is written anywhere; whoever holds it drops it on lock.
import Foundation
import SealboxCore

/// An inverted index of normalised words to the cases whose texts contain them.
public struct DeskSearchIndex: Sendable {
    /// The cases, by their number in the postings.
    public private(set) var references: [CaseReference] = []
    private var numbers: [CaseReference: UInt32] = [:]
    /// Word → the numbers of its cases, ascending, without repeats.
    private var postings: [String: [UInt32]] = [:]
    /// The words in order, for prefix search; rebuilt when stale.
    private var sortedWords: [String] = []
    private var sorted = true
    /// The estimated bytes the index holds.
    public private(set) var estimatedBytes = 0
    /// The budget in bytes.
    public let budget: Int
    /// False once some text was left out for the budget.
    public private(set) var isComplete = true

    /// The longest word indexed; longer runs are cut (a search of a longer word still
    /// matches by its prefix).
    static let longestWord = 40

    public init(budgetBytes: Int) {
        budget = max(budgetBytes, 0)
    }

    /// The normalised words of `text`, in order, repeats included.
    public static func words(in text: String) -> [String] {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
        var words: [String] = []
        var current = ""
        for character in folded {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                words.append(String(current.prefix(longestWord)))
                current = ""
            }
        }
        if !current.isEmpty { words.append(String(current.prefix(longestWord))) }
        return words
    }

    /// Adds the text of one item of `reference`. Returns false (and marks the index
    /// incomplete) when the budget left no room for some of its words.
    @discardableResult
    public mutating func add(_ text: String, of reference: CaseReference) -> Bool {
        let number: UInt32
        if let known = numbers[reference] {
            number = known
        } else {
            number = UInt32(references.count)
            references.append(reference)
            numbers[reference] = number
            estimatedBytes += Self.caseCost
        }
        var fitted = true
        for word in Set(Self.words(in: text)) {
            if var list = postings[word] {
                if list.last == number { continue }
                if let last = list.last, last > number, list.contains(number) { continue }
                guard estimatedBytes + Self.postingCost <= budget else { fitted = false; continue }
                postings[word] = nil
                if let last = list.last, last > number {
                    list.insert(number, at: list.firstIndex { $0 > number } ?? list.endIndex)
                } else {
                    list.append(number)
                }
                postings[word] = list
                estimatedBytes += Self.postingCost
            } else {
                let cost = Self.wordCost(word) + Self.postingCost
                guard estimatedBytes + cost <= budget else { fitted = false; continue }
                postings[word] = [number]
                estimatedBytes += cost
                sorted = false
            }
        }
        if !fitted { isComplete = false }
        return fitted
    }

    /// Marks the index incomplete (text that could not be read or was left out).
    public mutating func markIncomplete() {
        isComplete = false
    }

    /// Sorts the words for prefix search; `search` does it too when needed.
    public mutating func prepare() {
        guard !sorted else { return }
        sortedWords = postings.keys.sorted()
        sorted = true
    }

    /// The cases whose texts contain a word starting with each word of `query` (all of
    /// them), with the indexed words that matched. An empty query finds nothing.
    public func search(_ query: String) -> [CaseReference: Set<String>] {
        var index = self
        index.prepare()
        return index.searchPrepared(query)
    }

    /// `search` on a prepared index (no copy).
    public func searchPrepared(_ query: String) -> [CaseReference: Set<String>] {
        let terms = Array(Set(Self.words(in: query)))
        guard !terms.isEmpty else { return [:] }
        var found: [UInt32: Set<String>]?
        for term in terms {
            var matches: [UInt32: Set<String>] = [:]
            for word in wordsStarting(with: term) {
                for number in postings[word] ?? [] where found == nil || found?[number] != nil {
                    matches[number, default: []].insert(word)
                }
            }
            if let previous = found {
                var merged: [UInt32: Set<String>] = [:]
                for (number, words) in matches {
                    merged[number] = words.union(previous[number] ?? [])
                }
                found = merged
            } else {
                found = matches
            }
            if found?.isEmpty == true { return [:] }
        }
        var result: [CaseReference: Set<String>] = [:]
        for (number, words) in found ?? [:] { result[references[Int(number)]] = words }
        return result
    }

    /// The indexed words that start with `prefix` (binary search in the sorted words).
    private func wordsStarting(with prefix: String) -> ArraySlice<String> {
        let words = sorted ? sortedWords : postings.keys.sorted()
        var low = 0, high = words.count
        while low < high {
            let middle = (low + high) / 2
            if words[middle] < prefix { low = middle + 1 } else { high = middle }
        }
        var end = low
        while end < words.count, words[end].hasPrefix(prefix) { end += 1 }
        return words[low..<end]
    }

    /// The number of distinct words indexed.
    public var wordCount: Int { postings.count }

    // Estimates of what an entry takes in memory (dictionary slot, string, array header,
    // the sorted word list), deliberately on the high side.
    static let postingCost = 4
    static let caseCost = 64
    static func wordCost(_ word: String) -> Int { 96 + word.utf8.count }
}

/// What a search answered.
public struct DeskSearchResult: Sendable, Equatable {
    public enum State: String, Sendable {
        /// The index is complete and current.
        case complete
        /// The first index of this session is still being built: nothing to search yet.
        case building
        /// The memory budget (`desk_search_memory_mb`) left some text out.
        case incomplete
        /// The store changed and the index is being updated; it answered from the previous one.
        case updating
    }

    public var state: State
    /// The matching cases with the indexed words that matched.
    public var matches: [CaseReference: Set<String>]

    public init(state: State, matches: [CaseReference: Set<String>] = [:]) {
        self.state = state
        self.matches = matches
    }
}
