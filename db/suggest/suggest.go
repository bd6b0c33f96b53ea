// Package suggest proposes evidence in an article's text: figures (numbers
// and ranges with what they count), attributed quotes with their speakers,
// named people and organisations, and dated events. It is pure and
// deterministic: rules and short hand-written word lists (words.go), no
// model, no I/O. Offsets are code points of the NFC text, as everywhere in
// Gloss (W3C TextPositionSelector).
package suggest

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"gloss/db/number"
)

// Kinds of suggestion: the annotation kinds they would become.
const (
	KindFigure = "figure"
	KindQuote  = "quote"
	KindEntity = "entity"
	KindEvent  = "event"
)

// Entity is a person, organisation or place already known to Gloss: it is
// found first, by its name and aliases, and names suggestions it matches.
type Entity struct {
	ID      int64
	Name    string
	Type    string // person, organization or place
	Aliases []string
}

// Options are what extraction needs besides the text.
type Options struct {
	// Published is the article's date (YYYY-MM-DD, YYYY-MM or YYYY):
	// relative dates ("last month", "on Tuesday") are resolved against it,
	// and left unresolved without it.
	Published string
	// Entities are the known entities, found before any other name.
	Entities []Entity
}

// Suggestion is one proposed annotation. Start and End are its passage;
// the fields of its kind are filled as far as the text says them.
type Suggestion struct {
	Kind       string
	Start, End int    // code points of the NFC text
	Text       string // the passage
	// Key names the suggestion for as long as its passage is in the text:
	// its kind, its words and which of the suggestions of that kind with
	// those words it is, in text order (so a dismissal outlives a revision
	// that moves the passage, and not one that rewrites it).
	Key string
	// The sentence the suggestion is in (a composer may select it whole).
	SentenceStart, SentenceEnd int

	// Figure: the values (equal for one), unit, what is counted, the date
	// it refers to (from a date in the same sentence) and whose estimate it
	// is (the speaker of a quote that holds it).
	Low, High float64
	Unit      string
	Counted   string
	RefDate   string
	Estimator string

	// Quote: the speaker, resolved to a name where the article names them
	// (a pronoun or a surname to the full name), else as written; where the
	// speaker is named for this quote (0, 0 when only a pronoun did).
	Speaker                  string
	SpeakerAsWritten         string
	SpeakerStart, SpeakerEnd int

	// Entity (and the speaker of a quote, the estimator of a figure, when
	// they are entities): the name (a known entity's own, or the fullest
	// the article gives), its type, and a known entity's id.
	Name       string
	EntityType string
	EntityID   int64

	// Event: the date or period, resolved against the publication date
	// (YYYY, YYYY-MM or YYYY-MM-DD); DateFrom is "" when it cannot be.
	DateFrom, DateTo string
}

// Extract returns every suggestion for text, in text order (then by kind).
// Text should be NFC, as Gloss stores it; other text is normalized first
// and the offsets are those of its NFC form.
func Extract(text string, opt Options) []Suggestion {
	if !norm.NFC.IsNormalString(text) {
		text = norm.NFC.String(text)
	}
	d := newDoc(text, opt)
	var out []Suggestion
	ents := d.entities()
	quotes := d.quotes(ents)
	events := d.events()
	figures := d.figures(quotes, events)
	out = append(out, figures...)
	out = append(out, quotes...)
	out = append(out, ents...)
	out = append(out, events...)
	order := map[string]int{KindFigure: 0, KindQuote: 1, KindEntity: 2, KindEvent: 3}
	slices.SortStableFunc(out, func(a, b Suggestion) int {
		if c := cmp.Compare(a.Start, b.Start); c != 0 {
			return c
		}
		return cmp.Compare(order[a.Kind], order[b.Kind])
	})
	setKeys(out)
	return out
}

// setKeys gives each suggestion its Key.
func setKeys(list []Suggestion) {
	seen := map[[2]string]int{}
	for i := range list {
		s := &list[i]
		id := [2]string{s.Kind, s.Text}
		n := seen[id]
		seen[id] = n + 1
		h := sha256.Sum256([]byte(s.Kind + "\x00" + s.Text + "\x00" + strconv.Itoa(n)))
		s.Key = s.Kind + "-" + hex.EncodeToString(h[:8])
	}
}

// ValidKey reports whether s has the shape of a Key (a form's field is
// checked before it is looked for).
func ValidKey(s string) bool {
	kind, h, ok := strings.Cut(s, "-")
	if !ok || len(h) != 16 {
		return false
	}
	switch kind {
	case KindFigure, KindQuote, KindEntity, KindEvent:
	default:
		return false
	}
	_, err := hex.DecodeString(h)
	return err == nil && strings.ToLower(h) == h
}

// Fields are the annotate form's fields a suggestion fills in (the names
// are the form's: kind, low, high, unit, counted, ref_date, estimator,
// speaker, speaker_type, entity, entity_type, date_from, date_to).
func (s Suggestion) Fields() map[string]string {
	f := map[string]string{"kind": s.Kind}
	typ := s.EntityType
	if typ == "" {
		typ = guessType(s.Speaker + s.Estimator)
	}
	switch s.Kind {
	case KindFigure:
		f["low"] = number.Format(s.Low)
		if s.High != s.Low {
			f["high"] = number.Format(s.High)
		}
		f["unit"], f["counted"], f["ref_date"], f["estimator"] = s.Unit, s.Counted, s.RefDate, s.Estimator
		if s.Estimator != "" {
			f["estimator_type"] = typ
		}
	case KindQuote:
		f["speaker"], f["speaker_type"] = s.Speaker, typ
	case KindEntity:
		f["entity"], f["entity_type"] = s.Name, s.EntityType
	case KindEvent:
		f["date_from"], f["date_to"] = s.DateFrom, s.DateTo
	}
	for k, v := range f {
		if v == "" {
			delete(f, k)
		}
	}
	return f
}

// guessType is the type the form proposes for a speaker or estimator the
// text names without saying what it is: a person for one person named by
// their role ("one aid worker"), else an organization ("aid workers",
// "civic groups", "Beijing" for its government). Fields shows it, to be
// checked; the Suggestion itself keeps EntityType empty.
func guessType(name string) string {
	words := strings.Fields(strings.ToLower(name))
	if len(words) == 0 {
		return ""
	}
	for _, w := range words {
		if orgNouns[w] || orgWords[w] || collectiveNouns[w] {
			return typeOrg
		}
	}
	switch words[0] {
	case "one", "a", "an":
		return typePerson
	}
	for _, w := range words {
		if personRoles[w] {
			return typePerson
		}
	}
	return typeOrg
}

// Detail says a suggestion's fields in a line, for logs and tests.
func (s Suggestion) Detail() string {
	switch s.Kind {
	case KindFigure:
		v := number.Format(s.Low)
		if s.High != s.Low {
			v += "–" + number.Format(s.High)
		}
		parts := []string{v + " " + s.Unit, s.Counted}
		if s.RefDate != "" {
			parts = append(parts, s.RefDate)
		}
		if s.Estimator != "" {
			parts = append(parts, "by "+s.Estimator)
		}
		return strings.Join(parts, " · ")
	case KindQuote:
		return "said by " + s.Speaker
	case KindEntity:
		return s.Name + " (" + s.EntityType + ")"
	case KindEvent:
		if s.DateFrom == "" {
			return "undated"
		}
		if s.DateTo != "" {
			return s.DateFrom + " to " + s.DateTo
		}
		return s.DateFrom
	}
	return ""
}

// doc is the text being read, split once for every extractor.
type doc struct {
	text  []rune
	opt   Options
	lines []line
	sents [][]sentence // per line
	spans [][2]int     // every sentence's start and end, in order
	// datelinePlaces are places the datelines name (entities.go).
	datelinePlaces map[string]bool
}

func newDoc(text string, opt Options) *doc {
	d := &doc{text: []rune(text), opt: opt}
	d.lines = splitLines(d.text, tokenize(d.text))
	for _, l := range d.lines {
		ss := splitSentences(l)
		d.sents = append(d.sents, ss)
		for _, s := range ss {
			d.spans = append(d.spans, [2]int{s.start(), s.end()})
		}
	}
	return d
}

// startingAt is the index of the first suggestion in list (sorted by Start)
// that starts at or after pos.
func startingAt(list []Suggestion, pos int) int {
	return sort.Search(len(list), func(i int) bool { return list[i].Start >= pos })
}

func (d *doc) slice(start, end int) string { return string(d.text[start:end]) }

// sentenceAt is the sentence holding code point i (zero when none).
func (d *doc) sentenceAt(i int) (int, int) {
	k := sort.Search(len(d.spans), func(k int) bool { return d.spans[k][1] > i })
	if k < len(d.spans) && d.spans[k][0] <= i {
		return d.spans[k][0], d.spans[k][1]
	}
	return 0, 0
}

// suggestion starts a suggestion of kind over tokens toks.
func (d *doc) suggestion(kind string, start, end int) Suggestion {
	s := Suggestion{Kind: kind, Start: start, End: end, Text: d.slice(start, end)}
	s.SentenceStart, s.SentenceEnd = d.sentenceAt(start)
	return s
}

// normalizeNFC is the NFC form of s (tests check the seeds are NFC).
func normalizeNFC(s string) string { return norm.NFC.String(s) }
