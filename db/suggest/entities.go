package suggest

import (
	"slices"
	"sort"
	"strings"
	"unicode"
)

// Named people and organisations. Known entities (names and aliases) are
// found first; then runs of capitalized words are judged by their words:
// an organisation word ("University", "Committee"), an acronym, a noun
// before them ("the aid agency Good Friends"), or two to four name-like
// words for a person. A person's family and given names, and an acronym
// given in parentheses, then name the same entity when they come alone
// ("Dr Smith", "Lee said", "RENK").

const (
	typePerson = "person"
	typeOrg    = "organization"
	typePlace  = "place"
)

// known is one way of writing a known entity, as lower-case words.
type known struct {
	words []string
	ent   Entity
}

func (d *doc) knownNames() []known {
	var out []known
	for _, e := range d.opt.Entities {
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			var ws []string
			for _, t := range tokenize([]rune(n)) {
				ws = append(ws, t.lw)
			}
			if len(ws) > 0 {
				out = append(out, known{words: ws, ent: e})
			}
		}
	}
	// Longest first, so "UN High Commissioner for Refugees" wins over "UN".
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j].words) > len(out[j-1].words); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// matchKnown finds a known entity's words at toks[i:].
func matchKnown(toks []token, i int, names []known) (known, int, bool) {
	for _, k := range names {
		if i+len(k.words) > len(toks) {
			continue
		}
		ok := true
		for j, w := range k.words {
			t := toks[i+j]
			tw := t.lw
			if j == len(k.words)-1 {
				tw = t.lower()
			}
			if tw != w {
				ok = false
				break
			}
		}
		// A whole word: "UN" is not the start of "UNHCR" (tokens already
		// ensure it) and "Lee" is not "Leeds".
		if ok {
			return k, i + len(k.words), true
		}
	}
	return known{}, 0, false
}

// titleLine reports a headline: four or more words, nearly all
// capitalized, and no full stop (a copyright line is not a headline).
func titleLine(l line) bool {
	words, caps := 0, 0
	if len(l.toks) > 0 && l.toks[0].is("copyright") {
		return false
	}
	for _, t := range l.toks {
		if !t.word {
			if t.text == "." || t.text == "!" || t.text == "?" {
				return false
			}
			continue
		}
		lw := t.lw
		if len(lw) <= 3 && !t.capitalized() && (lw == "of" || lw == "in" || lw == "the" || lw == "a" || lw == "to" || lw == "on" || lw == "for" || lw == "and" || lw == "at" || lw == "by") {
			continue
		}
		words++
		if t.capitalized() {
			caps++
		}
	}
	return words >= 4 && caps*10 >= words*7
}

// capsLine reports a line in capitals (a dateline): its acronyms are not names.
func capsLine(l line) bool {
	letters, upper := 0, 0
	for _, t := range l.toks {
		for _, r := range t.text {
			if unicode.IsLetter(r) {
				letters++
				if unicode.IsUpper(r) {
					upper++
				}
			}
		}
	}
	return letters >= 12 && upper*2 >= letters
}

func isAcronym(s string) bool {
	s = stripPossessive(s)
	n := 0
	for _, r := range s {
		if !unicode.IsUpper(r) {
			return false
		}
		n++
	}
	return n >= 2 && n <= 6 && !acronymStop[strings.ToLower(s)]
}

func isCamel(s string) bool {
	rs := []rune(s)
	if len(rs) < 4 || !unicode.IsUpper(rs[0]) {
		return false
	}
	for i := 1; i+1 < len(rs); i++ {
		if unicode.IsLower(rs[i]) && unicode.IsUpper(rs[i+1]) {
			for _, r := range rs {
				if !unicode.IsLetter(r) {
					return false
				}
			}
			return true
		}
	}
	return false
}

// nameToken: a capitalized word (or an abbreviation such as U.S.) that may
// be part of a name.
func nameToken(t token) bool {
	return t.word && t.capitalized() && !strings.ContainsFunc(t.text, unicode.IsDigit)
}

var connectors = set(`of for the de du da von van al bin el la le`)

// nameRun is a run of name tokens (with connectors and initials inside).
type nameRun struct {
	toks     []token
	from, to int // token indexes in the line
}

func (r nameRun) words() []string {
	var out []string
	for _, t := range r.toks {
		if t.word {
			out = append(out, t.text)
		}
	}
	return out
}

// runs finds the runs of capitalized words in a line.
func runs(toks []token) []nameRun {
	var out []nameRun
	for i := 0; i < len(toks); {
		if !nameToken(toks[i]) {
			i++
			continue
		}
		j := i
		var rt []token
		for j < len(toks) {
			t := toks[j]
			switch {
			case nameToken(t) && (len(rt) == 0 || rt[len(rt)-1].end < t.start):
				rt = append(rt, t)
				j++
				if t.text != stripPossessive(t.text) && !strings.HasSuffix(t.text, "s`") {
					goto done
				}
				// An initial: "R." keeps the run going.
				if len([]rune(t.text)) == 1 && j < len(toks) && toks[j].text == "." {
					rt = append(rt, toks[j])
					j++
				}
				continue
			case t.word && connectors[t.lw] && !t.capitalized() && j+1 < len(toks) && nameToken(toks[j+1]) && len(rt) > 0:
				rt = append(rt, t)
				j++
				continue
			}
			break
		}
	done:
		out = append(out, nameRun{toks: rt, from: i, to: j})
		i = j
	}
	return out
}

var monthOrDay = func() map[string]bool {
	m := map[string]bool{}
	for k := range monthNames {
		m[k] = true
	}
	for k := range dayNames {
		m[k] = true
	}
	return m
}()

// leading words stripped from a run: function words, numbers, ages.
func strippable(t token) bool {
	lw := t.lower()
	if t.text == "." {
		return true
	}
	if _, ok := smallNumbers[lw]; ok {
		return true
	}
	if strings.Contains(lw, "year-old") || strings.Contains(lw, "-based") {
		return true
	}
	return leadStrip[lw] || connectors[lw] || monthOrDay[lw]
}

// trim drops leading function words and trailing connectors, and splits
// the run at a month or day name.
func (r nameRun) trim() []nameRun {
	var parts []nameRun
	cur := nameRun{}
	flush := func() {
		t := cur.toks
		for len(t) > 0 && strippable(t[0]) {
			t = t[1:]
		}
		for len(t) > 0 && (connectors[t[len(t)-1].lw] && !t[len(t)-1].capitalized()) {
			t = t[:len(t)-1]
		}
		if len(t) > 0 {
			parts = append(parts, nameRun{toks: t})
		}
		cur = nameRun{}
	}
	for _, t := range r.toks {
		if t.word && monthOrDay[t.lower()] {
			flush()
			continue
		}
		// A title starts a name: "Later Dr Smith".
		if t.word && t.is("dr", "mr", "mrs", "ms", "prof", "professor") && t.capitalized() && len(cur.toks) > 0 {
			flush()
		}
		cur.toks = append(cur.toks, t)
	}
	flush()
	return parts
}

func (r nameRun) start() int { return r.toks[0].start }

// end excludes a possessive ending of the last word.
func (r nameRun) end() int {
	last := r.toks[len(r.toks)-1]
	if s := stripPossessive(last.text); s != last.text {
		return last.end - (len([]rune(last.text)) - len([]rune(s)))
	}
	return last.end
}

func (r nameRun) lowerWords() []string {
	var out []string
	for _, t := range r.toks {
		if t.word {
			out = append(out, t.lower())
		}
	}
	return out
}

// personLike: two to four capitalized words, none a place, people, common
// capitalized word or organisation word.
func personLike(r nameRun) bool {
	n := 0
	for _, t := range r.toks {
		if !t.word {
			continue
		}
		lw := t.lower()
		if connectors[t.lw] && !t.capitalized() {
			return false
		}
		if nonNameWords[lw] || places[lw] || orgWords[lw] || isAcronym(t.text) && len([]rune(t.text)) > 1 {
			return false
		}
		for _, part := range strings.Split(lw, "-") {
			if places[part] {
				return false
			}
		}
		if len([]rune(t.text)) > 1 {
			n++
		}
	}
	return n >= 2 && n <= 4
}

// orgAt is the index of the last organisation word in the run, or -1.
func orgAt(r nameRun) int {
	at := -1
	ws := r.toks
	for i, t := range ws {
		if !t.word {
			continue
		}
		lw := t.lower()
		if orgWords[lw] && !(lw == "international" && i == 0 && len(ws) > 1) {
			at = i
		}
	}
	return at
}

// entities finds the named people and organisations.
func (d *doc) entities() []Suggestion {
	names := d.knownNames()
	alias := map[string]Suggestion{} // lower-case family/given name or acronym -> the entity it stands for
	d.datelinePlaces = datelinePlaces(d.lines)
	var out []Suggestion
	emit := func(start, end int, name, typ string, id int64) {
		s := d.suggestion(KindEntity, start, end)
		s.Name, s.EntityType, s.EntityID = name, typ, id
		out = append(out, s)
	}
	for _, l := range d.lines {
		toks := l.toks
		skipRuns := titleLine(l)
		caps := capsLine(l)
		used := make([]bool, len(toks))
		for i := 0; i < len(toks); i++ {
			if k, j, ok := matchKnown(toks, i, names); ok {
				end := toks[j-1].end
				if s := stripPossessive(toks[j-1].text); s != toks[j-1].text {
					end -= len([]rune(toks[j-1].text)) - len([]rune(s))
				}
				emit(toks[i].start, end, k.ent.Name, k.ent.Type, k.ent.ID)
				for x := i; x < j; x++ {
					used[x] = true
				}
				i = j - 1
			}
		}
		if skipRuns {
			continue
		}
		// "National intelligence Service (NIS)": the words whose initials
		// spell an acronym in parentheses name it, whatever their case.
		for i := 2; i+1 < len(toks); i++ {
			if toks[i-1].text != "(" || toks[i+1].text != ")" || !isAcronym(toks[i].text) || caps {
				continue
			}
			if from, ok := spelledBy(toks, i-1, toks[i].text); ok && !used[from] {
				name := d.slice(toks[from].start, toks[i-2].end)
				emit(toks[from].start, toks[i-2].end, name, typeOrg, 0)
				alias[toks[i].lw] = Suggestion{Name: name, EntityType: typeOrg}
				for x := from; x < i-1; x++ {
					used[x] = true
				}
			}
		}
		for _, raw := range runs(toks) {
			if slices.Contains(used[raw.from:raw.to], true) {
				continue
			}
			for _, r := range raw.trim() {
				d.judgeRun(r, toks, raw, caps, alias, emit)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// judgeRun decides what a run of capitalized words names, and emits it.
func (d *doc) judgeRun(r nameRun, toks []token, raw nameRun, caps bool, alias map[string]Suggestion,
	emit func(start, end int, name, typ string, id int64)) {
	// A title belongs to the mention, not the name: "Dr Smith".
	titleStart := -1
	for len(r.toks) > 1 && r.toks[0].word && titles[r.toks[0].lw] {
		if titleStart < 0 {
			titleStart = r.toks[0].start
		}
		r.toks = r.toks[1:]
		if len(r.toks) > 1 && r.toks[0].text == "." {
			r.toks = r.toks[1:]
		}
	}
	words := r.words()
	lw := r.lowerWords()
	name := d.slice(r.start(), r.end())
	before := func(k int) token { // the k-th token before the raw run
		if raw.from-k >= 0 {
			return toks[raw.from-k]
		}
		return token{}
	}
	after := func(k int) token {
		if raw.to+k-1 < len(toks) {
			return toks[raw.to+k-1]
		}
		return token{}
	}
	// An acronym in parentheses right after names the run.
	bindAcronym := func(full Suggestion) {
		if after(1).text == "(" && isAcronym(after(2).text) && after(3).text == ")" && r.end() == raw.toks[len(raw.toks)-1].end {
			alias[after(2).lw] = full
		}
	}
	prevNoun := before(1)
	if prevNoun.word && strings.HasSuffix(prevNoun.lw, "-based") {
		prevNoun = before(2)
	}
	switch {
	case len(words) == 1:
		w := words[0]
		if a, ok := alias[strings.ToLower(stripPossessive(w))]; ok {
			start := r.start()
			if titleStart >= 0 {
				start = titleStart
			} else if t := before(1); t.word && titles[t.lw] {
				start = t.start
			} else if t.text == "." && titles[before(2).lw] {
				start = before(2).start
			}
			emit(start, r.end(), a.Name, a.EntityType, 0)
			return
		}
		if t := before(1); titleStart >= 0 || t.word && titles[t.lw] && t.capitalized() || t.text == "." && titles[before(2).lw] {
			// "Dr Smith" with no full name before: a person all the same.
			start := before(1).start
			switch {
			case titleStart >= 0:
				start = titleStart
			case t.text == ".":
				start = before(2).start
			}
			if !places[lw[0]] && !nonNameWords[lw[0]] && !orgWords[lw[0]] {
				emit(start, r.end(), d.slice(start, r.end()), typePerson, 0)
				alias[lw[0]] = Suggestion{Name: d.slice(start, r.end()), EntityType: typePerson}
			}
			return
		}
		if isAcronym(w) && !caps {
			full := Suggestion{Name: stripPossessive(w), EntityType: typeOrg}
			emit(r.start(), r.end(), full.Name, typeOrg, 0)
			alias[strings.ToLower(stripPossessive(w))] = full
			return
		}
		if isCamel(w) || prevNoun.word && orgNouns[prevNoun.lw] && !places[lw[0]] && !nonNameWords[lw[0]] {
			emit(r.start(), r.end(), stripPossessive(w), typeOrg, 0)
			return
		}
		// "the Bush administration"
		if n := after(1); n.word && (n.text == "administration" || n.text == "government") && !places[lw[0]] && !nonNameWords[lw[0]] {
			emit(r.start(), n.end, d.slice(r.start(), n.end), typeOrg, 0)
		}
		return
	}
	// "Dr Helen Marsh of Oxford University": a person of an organisation.
	for c := 2; c+1 < len(r.toks); c++ {
		if !r.toks[c].is("of", "at") || r.toks[c].capitalized() {
			continue
		}
		p, o := nameRun{toks: r.toks[:c]}, nameRun{toks: r.toks[c+1:]}
		if personLike(p) && orgAt(o) >= 0 {
			d.person(p, alias, emit)
			emit(o.start(), o.end(), d.slice(o.start(), o.end()), typeOrg, 0)
			return
		}
	}
	if k := orgAt(r); k >= 0 || prevNoun.word && orgNouns[prevNoun.lw] {
		// An organisation, perhaps followed by a person's name: "UN High
		// Commissioner for Refugees Sadako Ogata".
		if k >= 0 && k+1 < len(r.toks) {
			rest := r.toks[k+1:]
			if len(rest) > 1 && connectors[rest[0].lw] {
				rest = rest[2:]
			}
			if p := (nameRun{toks: rest}); len(rest) >= 2 && personLike(p) {
				org := nameRun{toks: r.toks[:len(r.toks)-len(rest)]}
				full := Suggestion{Name: d.slice(org.start(), org.end()), EntityType: typeOrg}
				emit(org.start(), org.end(), full.Name, typeOrg, 0)
				d.person(p, alias, emit)
				return
			}
		}
		full := Suggestion{Name: name, EntityType: typeOrg}
		emit(r.start(), r.end(), name, typeOrg, 0)
		bindAcronym(full)
		return
	}
	// A place: named in a dateline, or after "in", "near", "at".
	if d.datelinePlaces[strings.Join(lw, " ")] || before(1).is("in", "at", "near", "into", "inside", "outside", "across") {
		return
	}
	if personLike(r) {
		d.person(r, alias, emit)
		return
	}
	// Anything else (places, events, headings) is not suggested.
}

// person emits a person and remembers their family and given names.
func (d *doc) person(r nameRun, alias map[string]Suggestion, emit func(start, end int, name, typ string, id int64)) {
	name := d.slice(r.start(), r.end())
	full := Suggestion{Name: name, EntityType: typePerson}
	emit(r.start(), r.end(), name, typePerson, 0)
	ws := r.lowerWords()
	alias[ws[0]] = full
	alias[ws[len(ws)-1]] = full
}

// spelledBy finds the words before index end whose initials spell acronym
// (connectors such as "of" and "for" skipped): their first index.
func spelledBy(toks []token, end int, acronym string) (int, bool) {
	want := []rune(strings.ToUpper(acronym))
	k := end - 1
	for n := len(want) - 1; n >= 0; n-- {
		for k >= 0 && toks[k].word && connectors[toks[k].lw] && !toks[k].capitalized() {
			k--
		}
		if k < 0 || !toks[k].word {
			return 0, false
		}
		if r := []rune(strings.ToUpper(toks[k].text)); r[0] != want[n] {
			return 0, false
		}
		if n > 0 {
			k--
		}
	}
	// The first word must be capitalized: a name, not a description.
	return k, toks[k].capitalized()
}

// datelinePlaces are the places in datelines: capitals at the start of a
// line ("PHNOM PENH --", "(IPS) BEIJING --", "WASHINGTON North Koreans"),
// in lower case. A run of capitalized words that is one is not a person.
func datelinePlaces(lines []line) map[string]bool {
	out := map[string]bool{}
	for _, l := range lines {
		toks := l.toks
		k := 0
		if at(toks, 0).text == "(" && at(toks, 2).text == ")" {
			k = 3
		}
		var ws []string
		for ; k < len(toks) && toks[k].word && len([]rune(toks[k].text)) >= 2 && strings.ToUpper(toks[k].text) == toks[k].text; k++ {
			ws = append(ws, toks[k].lw)
		}
		if len(ws) == 0 || strings.Join(ws, "") == "" {
			continue
		}
		if n := at(toks, k); n.text == "-" || n.text == "–" || n.text == "—" || n.word && n.capitalized() || n.text == ":" {
			if len(ws) == 1 && len(ws[0]) <= 3 {
				continue // an acronym, not a city
			}
			out[strings.Join(ws, " ")] = true
		}
	}
	return out
}
