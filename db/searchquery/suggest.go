package searchquery

import (
	"slices"
	"unicode/utf8"
)

// Correctable returns the positive terms a "did you mean" may correct:
// single words of three letters or more, typed bare (not phrases,
// prefixes or CJK).
func (q Query) Correctable() []Term {
	var out []Term
	for _, t := range q.Terms() {
		toks := t.Tokens()
		if t.Phrase || t.Prefix || len(toks) != 1 || toks[0].CJK || utf8.RuneCountInString(toks[0].Word) < 3 {
			continue
		}
		out = append(out, t)
	}
	return out
}

// Edits returns the words one edit away from a folded word: a letter
// deleted, inserted or replaced, or two next to each other swapped, with
// the letters a to z, the digits and the word's own letters.
func Edits(word string) []string {
	rs := []rune(word)
	alphabet := []rune("abcdefghijklmnopqrstuvwxyz0123456789")
	for _, r := range rs {
		if !slices.Contains(alphabet, r) {
			alphabet = append(alphabet, r)
		}
	}
	seen := map[string]bool{word: true}
	var out []string
	add := func(r []rune) {
		if w := string(r); len(r) > 0 && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	for i := range rs {
		add(slices.Concat(rs[:i], rs[i+1:]))
		if i+1 < len(rs) {
			add(slices.Concat(rs[:i], []rune{rs[i+1], rs[i]}, rs[i+2:]))
		}
	}
	for i := 0; i <= len(rs); i++ {
		for _, c := range alphabet {
			add(slices.Concat(rs[:i], []rune{c}, rs[i:]))
			if i < len(rs) {
				add(slices.Concat(rs[:i], []rune{c}, rs[i+1:]))
			}
		}
	}
	return out
}

// Replace returns q with every occurrence of term old (positive or
// negated) typed as the word with instead.
func (q Query) Replace(old Term, with string) Query {
	swap := func(list []Term) []Term {
		out := slices.Clone(list)
		for i, t := range out {
			if t == old {
				out[i] = Term{Text: with}
			}
		}
		return out
	}
	out := q
	out.groups = nil
	for _, g := range q.groups {
		out.groups = append(out.groups, swap(g))
	}
	out.not = swap(q.not)
	return out
}

// Word returns a term's one folded word (Correctable terms have one).
func (t Term) Word() string {
	toks := t.Tokens()
	if len(toks) == 0 {
		return ""
	}
	return toks[0].Word
}
