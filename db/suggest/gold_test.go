package suggest

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"
)

var update = flag.Bool("update", false, "fill in the code-point offsets of testdata/gold.json from each item's text")

// The gold file: every figure, attributed quote, named person or
// organisation and dated event in the five seed articles, labelled by
// reading them (see its "about").
type goldFile struct {
	About    string        `json:"about"`
	Articles []goldArticle `json:"articles"`
}

type goldArticle struct {
	File      string     `json:"file"`
	Published string     `json:"published"`
	Figures   []goldItem `json:"figures"`
	Quotes    []goldItem `json:"quotes"`
	Entities  []goldItem `json:"entities"`
	Events    []goldItem `json:"events"`
}

// goldItem is one label. Text (with Nth, its occurrence from 1) finds it in
// the article; Span, when set, is the part of Text that is the label.
type goldItem struct {
	Text      string   `json:"text"`
	Nth       int      `json:"nth,omitempty"`
	Span      string   `json:"span,omitempty"`
	Start     int      `json:"start"`
	End       int      `json:"end"`
	Low       *float64 `json:"low,omitempty"`
	High      *float64 `json:"high,omitempty"`
	Unit      string   `json:"unit,omitempty"`
	Counted   string   `json:"counted,omitempty"`
	Estimator string   `json:"estimator,omitempty"`
	Speaker   string   `json:"speaker,omitempty"`
	AsWritten *string  `json:"as_written,omitempty"`
	Also      string   `json:"also,omitempty"`
	Type      string   `json:"type,omitempty"`
	Name      string   `json:"name,omitempty"`
	DateFrom  string   `json:"date_from,omitempty"`
	DateTo    string   `json:"date_to,omitempty"`
	What      string   `json:"what,omitempty"`
}

const (
	goldPath    = "testdata/gold.json"
	heldOutPath = "testdata/heldout.json"
)

func loadGold(t testing.TB, path string) goldFile {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var g goldFile
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&g); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return g
}

// articleText reads a labelled article as stored: a seed, or the held-out
// text in testdata (both NFC: TestGoldFile checks it).
func articleText(t testing.TB, file string) string {
	t.Helper()
	path := filepath.Join("..", "..", "seeds", file)
	if _, err := os.Stat(filepath.Join("testdata", file)); err == nil {
		path = filepath.Join("testdata", file)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// locate finds an item's span as code-point offsets.
func locate(text []rune, it goldItem) (int, int, error) {
	words := []rune(it.Text)
	nth := max(it.Nth, 1)
	seen := 0
	for i := 0; i+len(words) <= len(text); i++ {
		if string(text[i:i+len(words)]) != it.Text {
			continue
		}
		if seen++; seen < nth {
			continue
		}
		if it.Span == "" {
			return i, i + len(words), nil
		}
		j := strings.Index(it.Text, it.Span)
		if j < 0 {
			return 0, 0, fmt.Errorf("span %q is not in %q", it.Span, it.Text)
		}
		s := i + len([]rune(it.Text[:j]))
		return s, s + len([]rune(it.Span)), nil
	}
	return 0, 0, fmt.Errorf("%q (occurrence %d) is not in the text", it.Text, nth)
}

// TestGoldFile checks that every label is where it says, in a text that is
// NFC; with -update it writes the offsets in.
func TestGoldFile(t *testing.T) {
	for _, path := range []string{goldPath, heldOutPath} {
		t.Run(filepath.Base(path), func(t *testing.T) { checkGoldFile(t, path) })
	}
}

func checkGoldFile(t *testing.T, path string) {
	g := loadGold(t, path)
	if path == goldPath && len(g.Articles) != 5 {
		t.Fatalf("the gold file labels %d articles, want the five seeds", len(g.Articles))
	}
	for ai := range g.Articles {
		a := &g.Articles[ai]
		text := []rune(articleText(t, a.File))
		if s := string(text); normalizeNFC(s) != s {
			t.Errorf("%s is not NFC", a.File)
		}
		for _, list := range [][]goldItem{a.Figures, a.Quotes, a.Entities, a.Events} {
			for i := range list {
				it := &list[i]
				s, e, err := locate(text, *it)
				if err != nil {
					t.Errorf("%s: %v", a.File, err)
					continue
				}
				if *update {
					it.Start, it.End = s, e
				} else if it.Start != s || it.End != e {
					t.Errorf("%s: %q is at %d-%d, the file says %d-%d (run with -update)", a.File, it.Text, s, e, it.Start, it.End)
				}
			}
		}
		for _, f := range a.Figures {
			if f.Low == nil || f.High == nil || *f.Low > *f.High || f.Unit == "" || f.Counted == "" {
				t.Errorf("%s: figure %q needs low <= high, a unit and what it counts", a.File, f.Text)
			}
		}
		for _, q := range a.Quotes {
			if q.Speaker == "" || q.AsWritten == nil {
				t.Errorf("%s: quote %q needs a speaker and as_written", a.File, q.Text)
			}
		}
		for _, e := range a.Entities {
			if e.Type != "person" && e.Type != "organization" || e.Name == "" {
				t.Errorf("%s: entity %q needs a type (person or organization) and a name", a.File, e.Text)
			}
		}
		for _, e := range a.Events {
			if e.What == "" {
				t.Errorf("%s: event %q needs what happened", a.File, e.Text)
			}
		}
	}
	if *update {
		if err := os.WriteFile(path, encodeGold(g), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// encodeGold writes the file one label a line, so that it reads and diffs
// as a list.
func encodeGold(g goldFile) []byte {
	var b bytes.Buffer
	about, _ := json.Marshal(g.About)
	fmt.Fprintf(&b, "{\n  \"about\": %s,\n  \"articles\": [\n", about)
	for ai, a := range g.Articles {
		fmt.Fprintf(&b, "    {\n      \"file\": %q,\n      \"published\": %q,\n", a.File, a.Published)
		lists := []struct {
			name  string
			items []goldItem
		}{{"figures", a.Figures}, {"quotes", a.Quotes}, {"entities", a.Entities}, {"events", a.Events}}
		for li, l := range lists {
			sort.SliceStable(l.items, func(i, j int) bool { return l.items[i].Start < l.items[j].Start })
			fmt.Fprintf(&b, "      %q: [\n", l.name)
			for i, it := range l.items {
				line, _ := json.Marshal(it)
				b.WriteString("        " + string(line))
				if i < len(l.items)-1 {
					b.WriteByte(',')
				}
				b.WriteByte('\n')
			}
			b.WriteString("      ]")
			if li < len(lists)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString("    }")
		if ai < len(g.Articles)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("  ]\n}\n")
	return b.Bytes()
}

// Scores per kind against the gold file. A suggestion matches a label of
// its kind when their spans overlap and, for figures, the values agree;
// for quotes, the speakers agree (sameSpeaker); for entities, the types
// agree; for events, either is enough and the resolved dates are scored
// apart. Each label and each suggestion is matched at most once.
type score struct {
	kind          string
	gold, got, ok int
}

func (s score) precision() float64 {
	if s.got == 0 {
		return 1
	}
	return float64(s.ok) / float64(s.got)
}

func (s score) recall() float64 {
	if s.gold == 0 {
		return 1
	}
	return float64(s.ok) / float64(s.gold)
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func overlaps(aStart, aEnd, bStart, bEnd int) bool { return aStart < bEnd && bStart < aEnd }

// normSpeaker reduces a way of naming a speaker to its words, without
// leading articles or titles, for comparison.
func normSpeaker(s string) string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' })
	for len(f) > 0 {
		switch f[0] {
		case "the", "a", "an", "one", "some", "dr", "mr", "ms", "mrs", "professor", "prof":
			f = f[1:]
			continue
		}
		break
	}
	return strings.Join(f, " ")
}

var pronouns = map[string]bool{"he": true, "she": true, "they": true, "it": true, "we": true, "i": true, "": true}

// sameSpeaker: the suggested speaker names the labelled one or is written
// as the text writes it (a pronoun only counts when resolved to the name).
func sameSpeaker(got string, label goldItem) bool {
	g := normSpeaker(got)
	if g == "" || pronouns[g] {
		return false
	}
	cands := []string{label.Speaker, label.Also}
	if label.AsWritten != nil && !pronouns[normSpeaker(*label.AsWritten)] {
		cands = append(cands, *label.AsWritten)
	}
	for _, c := range cands {
		n := normSpeaker(c)
		if n == "" {
			continue
		}
		if n == g || containsWords(n, g) || containsWords(g, n) {
			return true
		}
	}
	return false
}

// containsWords reports whether the words of b appear in a, in order, whole.
func containsWords(a, b string) bool {
	return strings.Contains(" "+a+" ", " "+b+" ")
}

func scoreArticle(a goldArticle, text string) (map[string]*score, []string) {
	got := Extract(text, Options{Published: a.Published})
	by := map[string][]Suggestion{}
	for _, s := range got {
		by[s.Kind] = append(by[s.Kind], s)
	}
	out := map[string]*score{}
	var misses []string
	run := func(kind string, labels []goldItem, match func(Suggestion, goldItem) bool) {
		sc := &score{kind: kind, gold: len(labels), got: len(by[kind])}
		used := make([]bool, len(by[kind]))
		for _, l := range labels {
			found := false
			for i, s := range by[kind] {
				if !used[i] && overlaps(s.Start, s.End, l.Start, l.End) && match(s, l) {
					used[i], found = true, true
					sc.ok++
					break
				}
			}
			if !found {
				misses = append(misses, fmt.Sprintf("%s missed %s %q", a.File, kind, l.Text))
			}
		}
		for i, s := range by[kind] {
			if !used[i] {
				misses = append(misses, fmt.Sprintf("%s extra %s %q (%s)", a.File, kind, s.Text, s.Detail()))
			}
		}
		out[kind] = sc
	}
	run(KindFigure, a.Figures, func(s Suggestion, l goldItem) bool { return near(s.Low, *l.Low) && near(s.High, *l.High) })
	run(KindQuote, a.Quotes, func(s Suggestion, l goldItem) bool { return sameSpeaker(s.Speaker, l) })
	run(KindEntity, a.Entities, func(s Suggestion, l goldItem) bool { return s.EntityType == l.Type })
	run(KindEvent, a.Events, func(s Suggestion, l goldItem) bool { return true })
	// How many matched events resolved to the labelled date.
	dated, right := 0, 0
	for _, l := range a.Events {
		for _, s := range by[KindEvent] {
			if overlaps(s.Start, s.End, l.Start, l.End) {
				dated++
				if s.DateFrom == l.DateFrom && s.DateTo == l.DateTo {
					right++
				} else {
					misses = append(misses, fmt.Sprintf("%s event %q dated %s/%s, labelled %s/%s", a.File, l.Text, s.DateFrom, s.DateTo, l.DateFrom, l.DateTo))
				}
				break
			}
		}
	}
	out["event dates"] = &score{kind: "event dates", gold: dated, got: dated, ok: right}
	return out, misses
}

// Floors, set just under the first measurement of each file, before any
// tuning (seeds: figures 1.00/1.00, quotes 0.93/0.98, entities 1.00/0.93,
// events and their dates 1.00/1.00; held-out: figures 1.00/0.90, quotes
// 0.85/0.79, entities 0.80/0.73, events 1.00/1.00, dates 0.88): a change
// that makes the extractors worse than they first were fails. The rules
// were written while reading the seeds, so the seed figures measure fit;
// the held-out article is the better guess at new text.
type floor struct{ precision, recall float64 }

var floors = map[string]floor{
	KindFigure:    {0.95, 0.95},
	KindQuote:     {0.9, 0.95},
	KindEntity:    {0.95, 0.9},
	KindEvent:     {0.95, 0.95},
	"event dates": {0.95, 0.95},
}

var heldOutFloors = map[string]floor{
	KindFigure:    {0.95, 0.85},
	KindQuote:     {0.8, 0.75},
	KindEntity:    {0.75, 0.7},
	KindEvent:     {0.95, 0.95},
	"event dates": {0.85, 0.85},
}

// measure scores the extractors against a gold file, logging every miss
// and the totals.
func measure(t *testing.T, path string) map[string]*score {
	g := loadGold(t, path)
	total := map[string]*score{}
	var misses []string
	for _, a := range g.Articles {
		sc, m := scoreArticle(a, articleText(t, a.File))
		misses = append(misses, m...)
		for k, s := range sc {
			if total[k] == nil {
				total[k] = &score{kind: k}
			}
			total[k].gold += s.gold
			total[k].got += s.got
			total[k].ok += s.ok
		}
	}
	for _, m := range misses {
		t.Log(m)
	}
	for _, k := range scoreKinds {
		s := total[k]
		t.Logf("%-12s labelled %3d  suggested %3d  right %3d  precision %.2f  recall %.2f", k, s.gold, s.got, s.ok, s.precision(), s.recall())
	}
	return total
}

var scoreKinds = []string{KindFigure, KindQuote, KindEntity, KindEvent, "event dates"}

func checkFloors(t *testing.T, total map[string]*score, floors map[string]floor) {
	for _, k := range scoreKinds {
		s, f := total[k], floors[k]
		if s.precision() < f.precision || s.recall() < f.recall {
			t.Errorf("%s: precision %.2f, recall %.2f: below the floor (%.2f, %.2f)", k, s.precision(), s.recall(), f.precision, f.recall)
		}
	}
}

// TestGold reports precision and recall per kind on the seed articles and
// fails below the floors.
func TestGold(t *testing.T) { checkFloors(t, measure(t, goldPath), floors) }

// TestHeldOut does the same on the invented article the rules were not
// written from, with floors of its own.
func TestHeldOut(t *testing.T) { checkFloors(t, measure(t, heldOutPath), heldOutFloors) }
