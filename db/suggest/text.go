package suggest

import (
	"strings"
	"unicode"
)

// token is a word, a number or one punctuation mark, with its place in the
// text in code points.
type token struct {
	start, end int
	text       string
	lw         string // text in lower case
	word       bool   // letters (a word, possibly with digits, hyphens, apostrophes)
	num        bool   // digits, possibly with thousands separators or a decimal point
}

// is reports whether the token is one of words (given in lower case).
func (t token) is(words ...string) bool {
	for _, w := range words {
		if t.lw == w {
			return true
		}
	}
	return false
}

func (t token) capitalized() bool {
	for _, r := range t.text {
		return unicode.IsUpper(r)
	}
	return false
}

// lower is the token in lower case, without a trailing possessive.
func (t token) lower() string {
	return stripPossessive(t.lw)
}

func stripPossessive(s string) string {
	for _, p := range []string{"'s", "’s", "`s", "'", "’", "`"} {
		if strings.HasSuffix(s, p) && len(s) > len(p) {
			return s[:len(s)-len(p)]
		}
	}
	return s
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == '`' }

// tokenize splits text (as code points) into tokens. Hyphens and
// apostrophes inside a word stay in it ("Hee-youn", "Korea's", "1990's");
// thousands separators and decimal points inside a number stay in it
// ("150,000", "3.5"); letters with dots make one abbreviation ("U.S.").
func tokenize(text []rune) []token {
	var out []token
	n := len(text)
	isWordRune := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }
	// Where the current line starts, and the last single quote that opened
	// a quotation (before a letter, after a space or the line's start).
	lineStart, openQuote := 0, -1
	for i := 0; i < n; {
		r := text[i]
		switch {
		case r == '\n':
			lineStart = i + 1
			i++
		case unicode.IsSpace(r):
			i++
		case unicode.IsDigit(r):
			j := i
			for j < n {
				if unicode.IsDigit(text[j]) {
					j++
					continue
				}
				// 150,000 and 3.5: a separator between digits (three after a comma).
				if text[j] == ',' && allDigits(text, j+1, j+4) && (j+4 >= n || !unicode.IsDigit(text[j+4])) {
					j += 4
					continue
				}
				if text[j] == '.' && j+1 < n && unicode.IsDigit(text[j+1]) {
					j++
					continue
				}
				break
			}
			// 1990s, 1990's, 12:00am stay one token with their letters.
			k := j
			if k < n && isApostrophe(text[k]) && k+1 < n && text[k+1] == 's' {
				k++
			}
			for k < n && unicode.IsLetter(text[k]) {
				k++
			}
			word := k > j
			out = append(out, token{start: i, end: k, text: string(text[i:k]), num: !word, word: word})
			i = k
		case isWordRune(r):
			j := i
			for j < n {
				if isWordRune(text[j]) {
					j++
					continue
				}
				if (text[j] == '-' || isApostrophe(text[j])) && j+1 < n && isWordRune(text[j+1]) && j > i {
					j++
					continue
				}
				break
			}
			// A trailing apostrophe of a plural possessive ("Citizens`",
			// "migrants'") belongs to the word when a space or punctuation
			// follows, unless a single quote opened on this line closes there.
			if j < n && isApostrophe(text[j]) && j > i && text[j-1] == 's' && (j+1 == n || !isWordRune(text[j+1])) && openQuote < lineStart {
				j++
			}
			// U.S., N.Y.: single letters with dots.
			if j-i == 1 && j+2 < n && text[j] == '.' && unicode.IsLetter(text[j+1]) && text[j+2] == '.' {
				k := j
				for k+2 < n && text[k] == '.' && unicode.IsLetter(text[k+1]) && text[k+2] == '.' {
					k += 2
				}
				j = k + 1
			}
			out = append(out, token{start: i, end: j, text: string(text[i:j]), word: true})
			i = j
		default:
			if (r == '\'' || r == '‘') && (i == 0 || !unicode.IsLetter(text[i-1])) {
				openQuote = i
			}
			out = append(out, token{start: i, end: i + 1, text: string(r)})
			i++
		}
	}
	for i := range out {
		out[i].lw = strings.ToLower(out[i].text)
	}
	return out
}

func allDigits(text []rune, from, to int) bool {
	if to > len(text) {
		return false
	}
	for _, r := range text[from:to] {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// line is one line of the text (the seeds put a paragraph on a line).
type line struct {
	start, end int
	toks       []token
}

func splitLines(text []rune, toks []token) []line {
	var out []line
	k := 0
	start := 0
	for i := 0; i <= len(text); i++ {
		if i < len(text) && text[i] != '\n' {
			continue
		}
		l := line{start: start, end: i}
		for k < len(toks) && toks[k].start < i {
			l.toks = append(l.toks, toks[k])
			k++
		}
		if len(l.toks) > 0 {
			out = append(out, l)
		}
		start = i + 1
	}
	return out
}

// sentence is a run of a line's tokens ending at a full stop.
type sentence struct {
	toks []token
}

func (s sentence) start() int { return s.toks[0].start }
func (s sentence) end() int   { return s.toks[len(s.toks)-1].end }

// maxSentence is the most tokens a sentence holds.
const maxSentence = 200

// abbreviations end with a dot that does not end a sentence.
var abbreviations = map[string]bool{"mr": true, "ms": true, "mrs": true, "dr": true, "prof": true, "st": true, "gen": true,
	"sen": true, "rep": true, "jr": true, "sr": true, "lt": true, "col": true, "gov": true, "no": true, "vs": true, "etc": false}

func splitSentences(l line) []sentence {
	toks := l.toks
	var out []sentence
	from := 0
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if i-from >= maxSentence {
			// A run-on "sentence" (a list, text without stops) is cut, so
			// that what reads a sentence back and forth stays linear.
			out = append(out, sentence{toks: toks[from:i]})
			from = i
		}
		if t.word || t.num || !strings.ContainsAny(t.text, ".!?") {
			continue
		}
		if t.text == "." && i > 0 && toks[i-1].word && toks[i-1].end == t.start &&
			(abbreviations[toks[i-1].lw] || len([]rune(toks[i-1].text)) == 1 && toks[i-1].capitalized()) {
			continue
		}
		end := i + 1
		for end < len(toks) && isCloser(toks[end].text) && toks[end].start == toks[end-1].end {
			end++
		}
		if end < len(toks) && !(toks[end].capitalized() || toks[end].num || isOpener(toks[end].text)) {
			continue
		}
		out = append(out, sentence{toks: toks[from:end]})
		from = end
		i = end - 1
	}
	if from < len(toks) {
		out = append(out, sentence{toks: toks[from:]})
	}
	return out
}

func isCloser(s string) bool {
	switch s {
	case "\"", "”", "'", "’", ")", "]":
		return true
	}
	return false
}

func isOpener(s string) bool {
	switch s {
	case "\"", "“", "'", "‘", "(", "[":
		return true
	}
	return false
}
