package suggest

import (
	"sort"
	"strings"
)

// Quotes: words in quotation marks with who said them ('…,' said X;
// "…," X said; X said: "…"; a paragraph that only continues the last
// speaker's quote), and reported speech (X said that …; … , X said;
// according to X, …; X estimated that …; …, saying …). A pronoun
// speaker is the last speaker named; a surname or an acronym is the
// entity the article named in full (entities.go). Quotes of fewer than
// four words are scare quotes, not quotations.

const minQuoteWords = 4

// speakerRef is a speaker as a sentence names them.
type speakerRef struct {
	name, asWritten, typ string
	start, end           int
}

// quoteState carries the last speaker from sentence to sentence.
type quoteState struct {
	ents []Suggestion
	last speakerRef
}

func isSpeechVerb(toks []token, k int) (int, bool) {
	t := at(toks, k)
	if !t.word {
		return 0, false
	}
	if t.capitalized() {
		// "the United States"; a verb starting a sentence is rare in news.
		return 0, false
	}
	lw := t.text
	if (lw == "points" || lw == "pointed" || lw == "point") && at(toks, k+1).is("out") {
		return 2, true
	}
	if !speechVerbs[lw] {
		return 0, false
	}
	// "an estimated 100,000", "the reported figure", "his claims", "by insisting"
	if p := at(toks, k-1); p.is("a", "an", "the", "this", "these", "those", "his", "her", "its", "their", "such", "whose") ||
		strings.HasSuffix(lw, "ing") && p.is("by", "of", "for", "to", "from", "without", "after", "before") ||
		strings.HasSuffix(lw, "ed") && p.text == "," && at(toks, k+1).is("in", "by", "as") {
		// the last two: "by insisting that", "the family, described in this article,"
		return 0, false
	}
	return 1, true
}

// directQuote is a quotation in marks within a line (token indexes).
type directQuote struct {
	open, close int // the marks' token indexes (close may be len(toks) when unclosed)
}

// findDirect pairs quotation marks in a line's tokens.
func findDirect(toks []token) []directQuote {
	var out []directQuote
	open, single := -1, false
	for k, t := range toks {
		adjNext := k+1 < len(toks) && toks[k+1].start == t.end
		adjPrev := k > 0 && toks[k-1].end == t.start
		switch t.text {
		case "“":
			if open < 0 {
				open, single = k, false
			}
		case "”":
			if open >= 0 && !single {
				out = append(out, directQuote{open, k})
				open = -1
			}
		case "\"":
			if open >= 0 && !single {
				out = append(out, directQuote{open, k})
				open = -1
			} else if open < 0 && adjNext {
				open, single = k, false
			}
		case "'", "‘", "’":
			if open < 0 && t.text != "’" && adjNext && (k == 0 || !adjPrev || isOpener(toks[k-1].text)) && toks[k+1].word {
				open, single = k, true
			} else if open >= 0 && single && t.text != "‘" && adjPrev && strings.ContainsAny(toks[k-1].text, ",.!?") {
				out = append(out, directQuote{open, k})
				open = -1
			}
		}
	}
	if open >= 0 && open+1 < len(toks) {
		out = append(out, directQuote{open, len(toks)})
	}
	return out
}

func wordsIn(toks []token) int {
	n := 0
	for _, t := range toks {
		if t.word || t.num {
			n++
		}
	}
	return n
}

// speakerStop ends a speaker's noun phrase after a verb ("said Hazel
// Smith, who ..."; "said Do Hee-youn of the ...").
func speakerStop(t token) bool {
	if !t.word && t.text != "." && t.text != "`" && t.text != "(" && t.text != ")" {
		return true
	}
	if t.text == "." {
		return false
	}
	return t.is("who", "of", "at", "in", "with", "from", "according", "on", "to", "when", "after", "before", "during",
		"and", "but", "as", "while", "whose", "which", "that", "for", "by")
}

func (d *doc) quotes(ents []Suggestion) []Suggestion {
	st := &quoteState{ents: ents}
	var out []Suggestion
	// The last direct quote's speaker and line: a quotation with no
	// attribution of its own that follows it continues it.
	var prevQuote speakerRef
	prevLine := -2
	type item struct {
		pos      int
		q        directQuote
		from, to int // the speaker's words, when found
		found    bool
		sen      []token
	}
	for li, l := range d.lines {
		toks := l.toks
		var items []item
		var masked [][2]int
		for _, q := range findDirect(toks) {
			if wordsIn(toks[q.open+1:min(q.close, len(toks))]) < minQuoteWords {
				continue
			}
			from, to, attrEnd, found := attribute(toks, q)
			lo, hi := toks[q.open].start, l.end
			if q.close < len(toks) {
				hi = toks[q.close].end
			}
			masked = append(masked, [2]int{lo, max(hi, attrEnd)})
			items = append(items, item{pos: lo, q: q, from: from, to: to, found: found})
		}
		for _, sen := range d.sents[li] {
			if !overlapsAny(sen.start(), sen.end(), masked) {
				items = append(items, item{pos: sen.start(), sen: sen.toks})
			}
		}
		sort.SliceStable(items, func(i, j int) bool { return items[i].pos < items[j].pos })
		// In text order, so that "he said" is the speaker just named.
		for _, it := range items {
			if it.sen != nil {
				if s, ok := d.reported(it.sen, st); ok {
					out = append(out, s)
				}
				continue
			}
			var sp speakerRef
			if it.found {
				sp = d.resolve(toks, it.from, it.to, st)
			}
			if sp.name == "" && prevQuote.name != "" && (prevLine == li || prevLine == li-1 && it.q.open == 0) {
				sp = speakerRef{name: prevQuote.name, typ: prevQuote.typ}
			}
			if sp.name == "" {
				continue
			}
			content := toks[it.q.open+1 : min(it.q.close, len(toks))]
			s := d.suggestion(KindQuote, content[0].start, content[len(content)-1].end)
			d.setSpeaker(&s, sp)
			out = append(out, s)
			prevQuote, prevLine = sp, li
		}
	}
	return out
}

func overlapsAny(start, end int, ranges [][2]int) bool {
	for _, r := range ranges {
		if start < r[1] && r[0] < end {
			return true
		}
	}
	return false
}

func (d *doc) setSpeaker(s *Suggestion, sp speakerRef) {
	s.Speaker, s.SpeakerAsWritten, s.EntityType = sp.name, sp.asWritten, sp.typ
	s.SpeakerStart, s.SpeakerEnd = sp.start, sp.end
}

// attribute finds the words naming who said a direct quote: after it
// ('," said X' or '," X said'), or before it ('X said: "', 'As X points
// out, "'). attrEnd is where the attribution ends.
func attribute(toks []token, q directQuote) (from, to, attrEnd int, found bool) {
	if q.close < len(toks) {
		k := q.close + 1
		if at(toks, k).text == "," {
			k++
		}
		for v := k; v < len(toks) && v < k+9; v++ {
			if isOpener(toks[v].text) || strings.ContainsAny(toks[v].text, ".!?") && !toks[v].word {
				break
			}
			n, ok := isSpeechVerb(toks, v)
			if !ok {
				continue
			}
			if v == k {
				// said Hazel Smith, who ...
				e := v + n
				for e < len(toks) && !speakerStop(toks[e]) {
					e++
				}
				if e == v+n {
					return 0, 0, 0, false
				}
				return v + n, e, toks[e-1].end, true
			}
			e := v
			for e > k && auxiliaries[toks[e-1].lower()] {
				e--
			}
			return k, e, toks[v].end, true
		}
	}
	// Before the quote, in its sentence.
	b := q.open
	for b > 0 && b > q.open-maxSentence && !(strings.ContainsAny(toks[b-1].text, ".!?") && !toks[b-1].word) {
		b--
	}
	for v := q.open - 1; v >= b; v-- {
		if _, ok := isSpeechVerb(toks, v); ok {
			return b, v, toks[q.open].start, true
		}
		if at(toks, v).is("out") && v > b {
			if _, ok := isSpeechVerb(toks, v-1); ok {
				return b, v - 1, toks[q.open].start, true
			}
		}
	}
	return 0, 0, 0, false
}

// resolve names the speaker written as toks[from:to]: a pronoun is the
// last speaker; a phrase holding a named entity is that entity; anything
// else is kept as written.
func (d *doc) resolve(toks []token, from, to int, st *quoteState) speakerRef {
	for from < to && (leadingWords[toks[from].lower()] && !(to-from == 1) || toks[from].text == ",") {
		from++
	}
	for to > from && (toks[to-1].text == "," || auxiliaries[toks[to-1].lower()]) {
		to--
	}
	if from >= to || to-from > 12 {
		return speakerRef{}
	}
	start, end := toks[from].start, toks[to-1].end
	written := d.slice(start, end)
	if to-from == 1 && pronounSubjects[toks[from].lw] {
		sp := st.last
		if sp.name == "" && !toks[from].is("they", "we") {
			// No one has spoken yet: the last person named.
			for k := startingAt(st.ents, start) - 1; k >= 0; k-- {
				if e := st.ents[k]; e.End <= start && e.EntityType == typePerson {
					sp = speakerRef{name: e.Name, typ: e.EntityType}
					break
				}
			}
		}
		sp.asWritten, sp.start, sp.end = written, 0, 0
		return sp
	}
	sp := speakerRef{name: written, asWritten: written, start: start, end: end}
	for _, e := range st.ents[startingAt(st.ents, start):] {
		if e.Start >= end {
			break
		}
		if e.End <= end && e.EntityType != typePlace {
			sp.name, sp.typ = e.Name, e.EntityType
			break
		}
	}
	if sp.typ == "" {
		sp.name = strings.TrimSpace(trimLeadingWords(written))
	}
	st.last = sp
	return sp
}

func trimLeadingWords(s string) string {
	f := strings.Fields(s)
	for len(f) > 1 && leadingWords[strings.ToLower(f[0])] {
		f = f[1:]
	}
	return strings.Join(f, " ")
}

// reported finds reported speech in a sentence outside quotation marks.
func (d *doc) reported(toks []token, st *quoteState) (Suggestion, bool) {
	end := len(toks)
	for end > 0 && !toks[end-1].word && !toks[end-1].num && toks[end-1].text != ")" {
		end--
	}
	if end == 0 {
		return Suggestion{}, false
	}
	// according to X
	for a := 0; a+2 < end; a++ {
		if !toks[a].is("according") || !toks[a+1].is("to") {
			continue
		}
		lead := 0
		for lead < a && toks[lead].is("but", "and", "so", "yet", "however") {
			lead++
		}
		npEnd := a + 2
		for npEnd < end && toks[npEnd].text != "," && !toks[npEnd].is("with", "who", "which") && toks[npEnd].text != "-" && toks[npEnd].text != "–" {
			npEnd++
		}
		if lead == a {
			// According to X, (of Y,) what they say.
			c := npEnd
			for c < end && toks[c].text == "," && c+1 < end && at(toks, c+1).is("of", "with", "at", "from", "who", "which", "whose") {
				c++
				for c < end && toks[c].text != "," {
					c++
				}
			}
			if c >= end-1 {
				return Suggestion{}, false
			}
			sp := d.resolve(toks, a+2, npEnd, st)
			return d.quoteSpan(toks, c+1, end, sp)
		}
		sp := d.resolve(toks, sourceStart(toks, a+2, npEnd), npEnd, st)
		ce := a
		if ce > 0 && toks[ce-1].text == "," {
			ce--
		}
		return d.quoteSpan(toks, lead, ce, sp)
	}
	for v := 1; v < end; v++ {
		n, ok := isSpeechVerb(toks, v)
		if !ok {
			continue
		}
		subjFrom, subjTo := d.subject(toks, v)
		if subjFrom >= subjTo {
			continue
		}
		after := v + n
		if after < len(toks) && toks[after].text == "," {
			after++
		}
		// ", X said." or ", X said in a statement.": what was said came first.
		if after >= end || at(toks, after).is("in", "on", "at", "to", "during", "after", "before", "when", "late", "earlier", "yesterday", "today", "last") &&
			!at(toks, after+1).is("least", "most") && !hasThat(toks, after, end) && end-after <= 8 {
			if subjFrom == 0 || toks[subjFrom-1].text != "," {
				continue
			}
			sp := d.resolve(toks, subjFrom, subjTo, st)
			return d.quoteSpan(toks, 0, subjFrom-1, sp)
		}
		// X said (in May) that ...
		for k := after; k < min(after+6, end); k++ {
			if toks[k].is("that") {
				after = k + 1
				break
			}
			if !toks[k].word && toks[k].text != "," {
				break
			}
		}
		sp := d.resolve(toks, subjFrom, subjTo, st)
		if sp.typ == "" && subjTo < v {
			// "The agency's director, Sok Vanna, told ...": the name in apposition.
			// Only a bare name between the commas, not "who spoke with VOA".
			first, last := subjTo, v
			for first < v && !toks[first].word {
				first++
			}
			for last > first && !toks[last-1].word {
				last--
			}
			for _, e := range st.ents[startingAt(st.ents, toks[first].start):] {
				if first < last && e.Start == toks[first].start && e.End >= toks[last-1].end-2 && e.EntityType != typePlace {
					sp.name, sp.typ = e.Name, e.EntityType
					st.last = sp
					break
				}
			}
		}
		return d.quoteSpan(toks, after, end, sp)
	}
	return Suggestion{}, false
}

func hasThat(toks []token, from, to int) bool {
	for k := from; k < min(from+6, to); k++ {
		if toks[k].is("that") {
			return true
		}
	}
	return false
}

// sourceStart skips "estimates by", "a study by" and the like: according
// to estimates by civic groups, the speaker is the civic groups.
func sourceStart(toks []token, from, to int) int {
	k := from
	if at(toks, k).is("a", "an", "the") {
		k++
	}
	if k+1 < to && toks[k].is("estimates", "estimate", "figures", "data", "reports", "report", "study", "studies", "survey", "surveys", "research", "statistics") && toks[k+1].is("by", "from", "of") {
		return k + 2
	}
	return from
}

// subject finds the speaker before the verb at v: the words since the
// last clause break, or the sentence's subject when those are empty or a
// participle ("..., saying") has none of its own.
func (d *doc) subject(toks []token, v int) (int, int) {
	e := v
	for e > 0 && auxiliaries[toks[e-1].lower()] {
		e--
	}
	participle := strings.HasSuffix(toks[v].lower(), "ing") && !(e < v && toks[e].is("are", "is", "were", "was"))
	b := e
	for b > 0 && toks[b-1].text != "," && !clauseWords[toks[b-1].lw] && toks[b-1].text != "--" {
		b--
	}
	if b < e && b > 0 && clauseWords[toks[b-1].lw] && toks[b-1].is("and") && !pronounSubjects[toks[b].lower()] {
		// "experts and civic activists": "and" inside a noun phrase.
		bb := b - 1
		for bb > 0 && toks[bb-1].text != "," && !clauseWords[toks[bb-1].lw] {
			bb--
		}
		b = bb
	}
	if b < e && !participle && !toks[b].is("who", "which") {
		return b, e
	}
	// The sentence's subject: its first words, up to a comma or a verb.
	s := 0
	for s < v && leadingWords[toks[s].lower()] {
		s++
	}
	k := s
	for k < v && toks[k].text != "," && !auxiliaries[toks[k].lower()] && !(toks[k].word && !toks[k].capitalized() && strings.HasSuffix(toks[k].lower(), "ed") && k > s) {
		k++
	}
	if k == v && !participle && b >= e {
		return 0, 0
	}
	return s, k
}

// quoteSpan makes a quote suggestion of toks[from:to] said by sp.
func (d *doc) quoteSpan(toks []token, from, to int, sp speakerRef) (Suggestion, bool) {
	for from < to && (toks[from].text == "," || toks[from].text == ":") {
		from++
	}
	for to > from && !toks[to-1].word && !toks[to-1].num && toks[to-1].text != ")" {
		to--
	}
	if sp.name == "" || wordsIn(toks[from:to]) < 3 {
		return Suggestion{}, false
	}
	s := d.suggestion(KindQuote, toks[from].start, toks[to-1].end)
	d.setSpeaker(&s, sp)
	return s, true
}
