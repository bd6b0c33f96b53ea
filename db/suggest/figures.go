package suggest

import (
	"strconv"
	"strings"
)

// Figures: a number (digits, number words, "three million"), a range
// ("between 50,000 and 300,000", "from 150,000 to 300,000", "4-6"), a
// magnitude ("tens of thousands": its decade, 10,000-100,000) or a
// proportion ("62 percent", "about half of"), with what it counts (the
// noun phrase after it, or "the number of X" before it) and its unit
// (people, percent, or the thing counted). Durations, ages, years,
// identifiers ("Article 47") and bare small numbers are not figures;
// qualifiers ("as many as", "at least", "some") are part of the passage
// and leave the number stated as the value.

// value is a number as written: low and high (equal for one value), how
// many tokens it takes, and whether it was said in words without a scale
// ("seven": a figure only with what it counts).
type value struct {
	low, high float64
	n         int
	bareWord  bool
	magnitude bool
	percent   bool
}

func at(toks []token, i int) token {
	if i >= 0 && i < len(toks) {
		return toks[i]
	}
	return token{}
}

// numberWord reads "seven", "twenty-three" (not "twenty-three-year-old").
func numberWord(w string) (float64, bool) {
	w = strings.ToLower(w)
	if v, ok := smallNumbers[w]; ok {
		return v, true
	}
	parts := strings.Split(w, "-")
	if len(parts) == 2 {
		a, ok1 := smallNumbers[parts[0]]
		b, ok2 := smallNumbers[parts[1]]
		if ok1 && ok2 && a >= 20 && b < 10 {
			return a + b, true
		}
	}
	return 0, false
}

func digitsValue(t token) (float64, bool) {
	if !t.num {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(t.text, ",", ""), 64)
	return f, err == nil
}

// isYear: four digits from 1000 to 2099 without a separator.
func isYear(t token) bool {
	_, ok := yearValue(t)
	return ok
}

// readValue reads a number at toks[i].
func readValue(toks []token, i int) (value, bool) {
	t := at(toks, i)
	lw := t.lw
	// tens of thousands, hundreds of millions
	if (lw == "tens" || lw == "hundreds") && at(toks, i+1).is("of") {
		if m, ok := magnitudes[at(toks, i+2).lower()]; ok {
			lo := m * 10
			if lw == "hundreds" {
				lo = m * 100
			}
			return value{low: lo, high: lo * 10, n: 3, magnitude: true}, true
		}
	}
	if lw == "dozens" {
		return value{low: dozensLow, high: dozensHigh, n: 1, magnitude: true}, true
	}
	if m, ok := magnitudes[lw]; ok && t.word {
		return value{low: m, high: m * 10, n: 1, magnitude: true}, true
	}
	// a quarter of, about half of, two thirds of
	frac := func(k int, times float64) (value, bool) {
		if f, ok := fractions[at(toks, i+k).lower()]; ok && at(toks, i+k+1).is("of") {
			return value{low: f * times, high: f * times, n: k + 1, percent: true}, true
		}
		return value{}, false
	}
	if lw == "half" {
		return frac(0, 1)
	}
	if lw == "a" || lw == "one" {
		if v, ok := frac(1, 1); ok {
			return v, true
		}
		if s, ok := scales[at(toks, i+1).lower()]; ok {
			return value{low: s, high: s, n: 2}, true
		}
		return value{}, false
	}
	var v float64
	word := false
	if f, ok := digitsValue(t); ok {
		if isYear(t) {
			next := at(toks, i+1)
			if !(next.word && (peopleNouns[next.lower()] || next.is("percent"))) {
				return value{}, false
			}
		}
		v = f
	} else if f, ok := numberWord(t.text); ok && t.word {
		if f2, ok := frac(1, f); ok && (f == 2 || f == 3) {
			return f2, true
		}
		v, word = f, true
	} else {
		return value{}, false
	}
	n := 1
	if s, ok := scales[at(toks, i+1).lower()]; ok {
		v *= s
		n, word = 2, false
		if s2, ok := scales[at(toks, i+2).lower()]; ok && s2 > s {
			v *= s2
			n = 3
		}
	}
	return value{low: v, high: v, n: n, bareWord: word}, true
}

// matchWords reports whether toks[i:] starts with words.
func matchWords(toks []token, i int, words []string) bool {
	for k, w := range words {
		if !at(toks, i+k).is(w) {
			return false
		}
	}
	return true
}

// figureAt reads a figure starting at toks[i] (qualifier, range, number)
// and returns it with the index after its number.
func figureAt(toks []token, i int) (start int, v value, next int, ok bool) {
	start = i
	for _, q := range qualifiers {
		if matchWords(toks, i, q) {
			i += len(q)
			break
		}
	}
	rangeOf := func(a value, j int, sep ...string) (value, int, bool) {
		if !at(toks, j).is(sep...) && !(at(toks, j).text == "-" || at(toks, j).text == "–") {
			return a, j, false
		}
		b, ok := readValue(toks, j+1)
		if !ok || b.high < a.low {
			return a, j, false
		}
		return value{low: a.low, high: b.high, n: 0, percent: b.percent, magnitude: a.magnitude || b.magnitude}, j + 1 + b.n, true
	}
	switch {
	case at(toks, i).is("between"):
		a, ok := readValue(toks, i+1)
		if !ok {
			return 0, value{}, 0, false
		}
		if r, j, ok := rangeOf(a, i+1+a.n, "and"); ok {
			return start, r, j, true
		}
		return 0, value{}, 0, false
	case at(toks, i).is("from"):
		a, ok := readValue(toks, i+1)
		if !ok {
			return 0, value{}, 0, false
		}
		if r, j, ok := rangeOf(a, i+1+a.n, "to", "and"); ok {
			return start, r, j, true
		}
		return 0, value{}, 0, false
	}
	a, ok := readValue(toks, i)
	if !ok {
		return 0, value{}, 0, false
	}
	j := i + a.n
	if r, k, ok := rangeOf(a, j, "to"); ok {
		return start, r, k, true
	}
	return start, a, j, true
}

// possessives and determiners between "of" and what is counted.
var possessives = []string{"the", "these", "those", "its", "their", "his", "her", "our", "my", "your"}

// plural guesses a plural English noun.
func plural(w string) bool {
	return len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is")
}

// countedAfter reads what a figure counts from toks[j]: the noun phrase up
// to its head noun, and a place after it ("North Koreans in China").
func countedAfter(toks []token, j int) (text string, head string, end int, duration bool) {
	if at(toks, j).is("of") {
		j++
		if at(toks, j).is(possessives...) || at(toks, j).is("them") {
			if at(toks, j).is("them") {
				return "", "", 0, false
			}
			j++
		}
	}
	first := j
	k := j
	for ; k < len(toks) && k-first < 6; k++ {
		t := toks[k]
		if !t.word {
			break
		}
		lw := t.lower()
		if k == first && timeUnits[t.lw] {
			return "", "", 0, true
		}
		if strings.Contains(lw, "year-old") {
			return "", "", 0, true
		}
		if stopAfterFigure[lw] && lw != "other" {
			break
		}
		if _, isNum := numberWord(lw); isNum {
			break
		}
		if t.capitalized() {
			if plural(lw) || strings.HasSuffix(lw, "ese") && k > first {
				head = lw
				k++
				break
			}
			continue
		}
		if peopleNouns[lw] || plural(lw) || timeUnits[lw] {
			if timeUnits[lw] {
				return "", "", 0, true
			}
			head = lw
			k++
			break
		}
	}
	if head == "" {
		return "", "", 0, false
	}
	// A place after the head: in China, inside China, to China.
	if at(toks, k).is("in", "inside", "to", "from") && nameToken(at(toks, k+1)) {
		m := k + 1
		for m < len(toks) && nameToken(toks[m]) {
			m++
		}
		if places[at(toks, m-1).lower()] {
			k = m
		}
	}
	return "", head, k, false
}

// unitFor names the unit of a figure from its head noun.
func unitFor(head string, capitalized bool, percent bool) string {
	switch {
	case percent:
		return "percent"
	case head == "":
		return ""
	case peopleNouns[head] || capitalized || collectiveNouns[head]:
		return "people"
	case head == "dollars" || head == "yuan" || head == "euros" || head == "won" || head == "pounds":
		return head
	}
	return head
}

// rateAfter finds "every year", "a month", "annually" later in the clause.
func rateAfter(toks []token, j int) string {
	for k := j; k < len(toks); k++ {
		t := toks[k]
		if t.text == "," || t.text == ";" || t.text == "." {
			return ""
		}
		if t.is("annually") {
			return perPeriod["annually"]
		}
		if t.is("every", "each", "a", "per") {
			if p, ok := perPeriod[at(toks, k+1).lower()]; ok && !at(toks, k+2).is("ago", "later", "earlier") {
				return p
			}
		}
	}
	return ""
}

// numberOf finds "the number of X" before a figure in its sentence.
func (d *doc) numberOf(toks []token, before int) string {
	for k := before - 1; k >= 1; k-- {
		if toks[k].is("of") && toks[k-1].is("number") {
			_, _, end, _ := countedAfter(toks, k)
			if end > k+1 {
				first := k + 1
				if at(toks, first).is("the") {
					first++
				}
				return d.slice(toks[first].start, toks[end-1].end)
			}
		}
	}
	return ""
}

func (d *doc) figures(quotes, events []Suggestion) []Suggestion {
	var out []Suggestion
	for _, ss := range d.sents {
		for _, s := range ss {
			toks := s.toks
			for i := 0; i < len(toks); {
				start, v, j, ok := figureAt(toks, i)
				if !ok {
					i++
					continue
				}
				sg, ok := d.judgeFigure(toks, start, v, j)
				if !ok {
					i = max(i+1, j)
					continue
				}
				d.figureContext(&sg, quotes, events)
				out = append(out, sg)
				i = max(i+1, j)
				for i < len(toks) && toks[i].start < sg.End {
					i++
				}
			}
		}
	}
	return out
}

// judgeFigure decides whether the number at toks[start:j] is a figure and
// fills its fields.
func (d *doc) judgeFigure(toks []token, start int, v value, j int) (Suggestion, bool) {
	prev := at(toks, start-1)
	// ranging in age from 15 to 69; aged 23
	if prev.is("age", "aged", "ages") || at(toks, start-2).is("age", "aged") {
		return Suggestion{}, false
	}
	end := toks[j-1].end
	percent := v.percent
	if at(toks, j).is("percent", "%") || at(toks, j).is("per") && at(toks, j+1).is("cent") {
		percent = true
		if at(toks, j).is("per") {
			j++
		}
		end = toks[j].end
		j++
	}
	if prev.text == "$" {
		start--
	}
	_, head, npEnd, duration := countedAfter(toks, j)
	if duration {
		return Suggestion{}, false
	}
	counted := ""
	capitalHead := false
	if npEnd > j {
		first := j
		if at(toks, first).is("of") {
			first++
		}
		if at(toks, first).is(possessives...) {
			first++
		}
		counted = d.slice(toks[first].start, toks[npEnd-1].end)
		capitalHead = toks[npEnd-1].capitalized() || at(toks, first).capitalized()
		end = toks[npEnd-1].end
		for k := first; k < npEnd; k++ {
			if toks[k].lower() == head {
				capitalHead = toks[k].capitalized()
			}
		}
	}
	// family of seven, group of seven
	collective := ""
	if counted == "" && prev.is("of") && collectiveNouns[at(toks, start-2).lower()] {
		collective = at(toks, start-2).lower()
		start -= 2
		head = collective
		counted = collective
	}
	bare := counted == "" && !percent
	if bare {
		switch {
		case v.magnitude, v.low >= 100 && !v.bareWord, v.low >= 1e6:
		default:
			// "the seven were sent", "under 7", "Article 47"
			return Suggestion{}, false
		}
		if prev.word && prev.capitalized() && !prev.is(qualifierStarts...) && v.n == 1 && !v.magnitude && start > 0 {
			return Suggestion{}, false
		}
		counted = d.numberOf(toks, start)
	}
	if percent && counted == "" {
		counted = d.numberOf(toks, start)
	}
	s := d.suggestion(KindFigure, toks[start].start, end)
	s.Low, s.High = v.low, v.high
	s.Counted = counted
	s.Unit = unitFor(head, capitalHead, percent)
	if s.Unit == "" && bare && s.Counted != "" {
		s.Unit = "people"
	}
	if prev.text == "$" {
		s.Unit = "dollars"
	}
	if r := rateAfter(toks, j); r != "" && s.Unit != "percent" && s.Unit != "" {
		s.Unit += " " + r
	}
	return s, true
}

// qualifierStarts are the capitalized first words of qualifiers at a
// sentence start ("Some 50,000", "About half").
var qualifierStarts = []string{"some", "about", "around", "nearly", "almost", "up", "as", "at", "more", "over", "between", "from", "an", "approximately", "roughly", "just", "close", "fewer", "less"}

// figureContext gives a figure the speaker of the quote holding it and the
// nearest date in its sentence.
func (d *doc) figureContext(s *Suggestion, quotes, events []Suggestion) {
	// Quotes and events are in text order; only those of the figure's
	// sentence (or, for a quote, one that starts before it) are looked at.
	for k := startingAt(quotes, s.Start+1) - 1; k >= 0 && k >= startingAt(quotes, s.SentenceStart)-1; k-- {
		if q := quotes[k]; q.Start <= s.Start && s.End <= q.End+1 {
			s.Estimator, s.EntityType = q.Speaker, q.EntityType
			break
		}
	}
	best := -1
	for _, e := range events[startingAt(events, s.SentenceStart):] {
		if e.Start >= s.SentenceEnd {
			break
		}
		if e.DateFrom == "" || e.SentenceStart != s.SentenceStart || s.SentenceEnd == 0 {
			continue
		}
		dist := e.Start - s.End
		if dist < 0 {
			dist = s.Start - e.End
		}
		if best < 0 || dist < best {
			best = dist
			s.RefDate = e.DateFrom
		}
	}
}
