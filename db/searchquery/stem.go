package searchquery

// Stem returns the English stem of a folded word by M. F. Porter's
// algorithm ("An algorithm for suffix stripping", 1980, with the
// amendments of his reference implementation: -bli for -abli, -logi),
// the stemmer of SQLite FTS5's porter tokenizer: "deported",
// "deportation" and "deport" all give "deport". Words of fewer than
// three or more than 64 bytes, and words that are not ASCII letters and
// digits, are their own stem.
func Stem(w string) string {
	if len(w) < 3 || len(w) > 64 {
		return w
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return w
		}
	}
	s := stemmer{b: []byte(w)}
	s.step1a()
	s.step1b()
	s.step1c()
	s.step2()
	s.step3()
	s.step4()
	s.step5()
	return string(s.b)
}

// stemmer holds a word being stemmed; b[:j] is the stem before a suffix
// found by ends.
type stemmer struct {
	b []byte
	j int
}

// consonant reports whether b[i] is a consonant: not a, e, i, o, u, and
// not a y after a consonant.
func (s *stemmer) consonant(i int) bool {
	switch s.b[i] {
	case 'a', 'e', 'i', 'o', 'u':
		return false
	case 'y':
		return i == 0 || !s.consonant(i-1)
	}
	return true
}

// measure is m of b[:n], in [C](VC)^m[V]: how many vowel-consonant
// sequences it has.
func (s *stemmer) measure(n int) int {
	m, i := 0, 0
	for i < n && s.consonant(i) {
		i++
	}
	for i < n {
		for i < n && !s.consonant(i) {
			i++
		}
		if i == n {
			break
		}
		for i < n && s.consonant(i) {
			i++
		}
		m++
	}
	return m
}

// vowelIn reports whether b[:n] has a vowel.
func (s *stemmer) vowelIn(n int) bool {
	for i := 0; i < n; i++ {
		if !s.consonant(i) {
			return true
		}
	}
	return false
}

// doubleConsonant reports whether b[:n] ends in two equal consonants.
func (s *stemmer) doubleConsonant(n int) bool {
	return n >= 2 && s.b[n-1] == s.b[n-2] && s.consonant(n-1)
}

// cvc reports whether b[:n] ends consonant-vowel-consonant, the last not
// w, x or y (*o: "hop", not "snow").
func (s *stemmer) cvc(n int) bool {
	if n < 3 || !s.consonant(n-1) || s.consonant(n-2) || !s.consonant(n-3) {
		return false
	}
	c := s.b[n-1]
	return c != 'w' && c != 'x' && c != 'y'
}

// ends reports whether the word ends with suffix (leaving a stem of at
// least one letter), and sets j to where the suffix starts.
func (s *stemmer) ends(suffix string) bool {
	n := len(s.b) - len(suffix)
	if n < 1 || string(s.b[n:]) != suffix {
		return false
	}
	s.j = n
	return true
}

// setTo replaces the suffix found by ends with r.
func (s *stemmer) setTo(r string) { s.b = append(s.b[:s.j], r...) }

// replace replaces the suffix found by ends with r when the stem's
// measure is above 0.
func (s *stemmer) replace(r string) {
	if s.measure(s.j) > 0 {
		s.setTo(r)
	}
}

// step1a: plurals. caresses → caress, ponies → poni, cats → cat.
func (s *stemmer) step1a() {
	switch {
	case s.ends("sses"), s.ends("ies"):
		s.b = s.b[:len(s.b)-2]
	case s.ends("ss"):
	case s.ends("s"):
		s.b = s.b[:len(s.b)-1]
	}
}

// step1b: -ed and -ing. agreed → agree, plastered → plaster, hopping →
// hop, filing → file.
func (s *stemmer) step1b() {
	if s.ends("eed") {
		if s.measure(s.j) > 0 {
			s.b = s.b[:len(s.b)-1]
		}
		return
	}
	if !(s.ends("ed") || s.ends("ing")) || !s.vowelIn(s.j) {
		return
	}
	s.b = s.b[:s.j]
	n := len(s.b)
	switch {
	case s.ends("at"):
		s.setTo("ate")
	case s.ends("bl"):
		s.setTo("ble")
	case s.ends("iz"):
		s.setTo("ize")
	case s.doubleConsonant(n) && s.b[n-1] != 'l' && s.b[n-1] != 's' && s.b[n-1] != 'z':
		s.b = s.b[:n-1]
	case s.measure(n) == 1 && s.cvc(n):
		s.b = append(s.b, 'e')
	}
}

// step1c: happy → happi.
func (s *stemmer) step1c() {
	if s.ends("y") && s.vowelIn(s.j) {
		s.b[len(s.b)-1] = 'i'
	}
}

// suffixRule replaces a suffix.
type suffixRule struct{ suffix, with string }

// The rules of steps 2 and 3: the first suffix the word ends with is the
// only one tried.
var step2Rules = []suffixRule{
	{"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"}, {"anci", "ance"}, {"izer", "ize"}, {"logi", "log"},
	{"bli", "ble"}, {"alli", "al"}, {"entli", "ent"}, {"eli", "e"}, {"ousli", "ous"},
	{"ization", "ize"}, {"ation", "ate"}, {"ator", "ate"},
	{"alism", "al"}, {"iveness", "ive"}, {"fulness", "ful"}, {"ousness", "ous"},
	{"aliti", "al"}, {"iviti", "ive"}, {"biliti", "ble"},
}

var step3Rules = []suffixRule{
	{"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"}, {"ical", "ic"}, {"ful", ""}, {"ness", ""},
}

func (s *stemmer) rules(list []suffixRule) {
	for _, r := range list {
		if s.ends(r.suffix) {
			s.replace(r.with)
			return
		}
	}
}

// step2: relational → relate, conditional → condition.
func (s *stemmer) step2() { s.rules(step2Rules) }

// step3: triplicate → triplic, hopeful → hope.
func (s *stemmer) step3() { s.rules(step3Rules) }

// step4Suffixes are removed from a stem of measure above 1; again only the
// first the word ends with is tried.
var step4Suffixes = []string{"al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
	"ion", "ou", "ism", "ate", "iti", "ous", "ive", "ize"}

// step4: revival → reviv, adjustment → adjust, adoption → adopt.
func (s *stemmer) step4() {
	for _, suf := range step4Suffixes {
		if !s.ends(suf) {
			continue
		}
		if suf == "ion" && s.b[s.j-1] != 's' && s.b[s.j-1] != 't' {
			return
		}
		if s.measure(s.j) > 1 {
			s.b = s.b[:s.j]
		}
		return
	}
}

// step5: probate → probat, rate → rate, controll → control.
func (s *stemmer) step5() {
	n := len(s.b)
	if s.b[n-1] == 'e' {
		if m := s.measure(n - 1); m > 1 || m == 1 && !s.cvc(n-1) {
			s.b = s.b[:n-1]
		}
	}
	n = len(s.b)
	if n > 1 && s.b[n-1] == 'l' && s.b[n-2] == 'l' && s.measure(n-1) > 1 {
		s.b = s.b[:n-1]
	}
}
