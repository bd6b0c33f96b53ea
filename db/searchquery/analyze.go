package searchquery

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Token is a word of a text as the index holds it.
//
// Words are runs of letters, digits and private-use characters (combining
// marks join the letter before them), cut where the script changes between
// CJK (Han, Hiragana, Katakana, Hangul) and the rest. A word outside CJK
// is one token: Word folded to lower case without diacritics, Stem its
// Porter stem. CJK is written without spaces between words (Korean glues
// particles to them), so a CJK run is indexed as its overlapping pairs of
// characters (北朝鲜 → 北朝, 朝鲜), a run of one character as itself, and
// Word and Stem are the pair: any word of two or more characters inside a
// run is the phrase of its pairs.
//
// An engine indexes, for each field, the Words of its tokens in one
// column and their Stems in another, at the same positions, and matches
// terms as Query's documentation says. Tokens hold only letters, digits
// and marks: joined by spaces they tokenize back the same in any engine.
type Token struct {
	Start, End int // code points in the text: [Start, End)
	Word       string
	Stem       string
	CJK        bool
}

// cjk reports the scripts written without spaces between words.
func cjk(r rune) bool {
	if r < 0x1100 {
		return false
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		r == 'ー' || r == 'ｰ' // the prolonged sound mark is in no script of its own
}

// tokenRune reports whether r may start a word: letters, digits and
// private-use characters.
func tokenRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r)
}

// fold lowercases a word and strips its diacritics, in NFC.
func fold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return norm.NFC.String(b.String())
}

// Tokens returns the tokens of text, in order.
func Tokens(text string) []Token {
	var out []Token
	eachToken(text, true, func(t Token) bool {
		out = append(out, t)
		return true
	})
	return out
}

// eachToken calls fn with each token of text until fn returns false.
// Without stem, words outside CJK come without their Stem (for a caller
// that stems only the words that may match).
func eachToken(text string, stem bool, fn func(Token) bool) {
	start, startByte := -1, 0 // the run in hand, in code points and bytes
	runCJK := false
	pos := 0
	// Where each character of a CJK run starts, in bytes and code points
	// (a combining mark after a character takes a code point of its own).
	var cps, cpPos []int
	emit := func(endByte, endPos int) bool {
		if start < 0 {
			return true
		}
		s := start
		start = -1
		if !runCJK {
			w := fold(text[startByte:endByte])
			if w == "" {
				return true
			}
			t := Token{Start: s, End: endPos, Word: w}
			if stem {
				t.Stem = Stem(w)
			}
			return fn(t)
		}
		n := len(cps)
		if n == 1 {
			w := text[cps[0]:endByte]
			return fn(Token{Start: s, End: endPos, Word: w, Stem: w, CJK: true})
		}
		for i := 0; i+1 < n; i++ {
			end, endAt := endByte, endPos
			if i+2 < n {
				end, endAt = cps[i+2], cpPos[i+2]
			}
			w := text[cps[i]:end]
			if !fn(Token{Start: cpPos[i], End: endAt, Word: w, Stem: w, CJK: true}) {
				return false
			}
		}
		return true
	}
	for i, r := range text {
		mark := r >= utf8.RuneSelf && unicode.Is(unicode.M, r)
		switch {
		case mark && start >= 0:
			// A combining mark joins the letter before it; in CJK it stays
			// with its character's pair.
			if runCJK {
				pos++
				continue
			}
		case tokenRune(r):
			c := cjk(r)
			if start >= 0 && c != runCJK {
				if !emit(i, pos) {
					return
				}
			}
			if start < 0 {
				start, startByte, runCJK = pos, i, c
				cps, cpPos = cps[:0], cpPos[:0]
			}
			if c {
				cps, cpPos = append(cps, i), append(cpPos, pos)
			}
		default:
			if !emit(i, pos) {
				return
			}
		}
		pos++
	}
	emit(len(text), pos)
}

// IndexText returns what an index holds of text: the Words of its tokens
// and their Stems, each joined by spaces.
func IndexText(text string) (words, stems string) {
	var w, s strings.Builder
	eachToken(text, true, func(t Token) bool {
		if w.Len() > 0 {
			w.WriteByte(' ')
			s.WriteByte(' ')
		}
		w.WriteString(t.Word)
		s.WriteString(t.Stem)
		return true
	})
	return w.String(), s.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
