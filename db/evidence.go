package db

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"gloss/db/evidence"
	"gloss/db/number"
)

// Annotation kinds.
const (
	KindComment = "comment"
	KindEntity  = "entity"
	KindQuote   = "quote"
	KindFigure  = "figure"
	KindEvent   = "event"
)

// Entity types.
const (
	EntityPerson       = "person"
	EntityOrganization = "organization"
	EntityPlace        = "place"
)

// Limits on evidence fields.
const (
	MaxEntityNameLen = 200
	MaxUnitLen       = 60
	MaxCountedLen    = 200
)

// Entity is a person, organization or place named across the corpus.
type Entity struct {
	ID       int64
	Name     string
	Type     string
	Aliases  []string
	Mentions int // visible annotations that refer to it (lists only)
}

// Evidence is the structured part of an annotation.
type Evidence struct {
	Kind       string
	EntityID   int64 // mentioned, speaker or estimator
	EntityName string
	Low, High  float64 // figure
	HasValue   bool
	Unit       string
	Counted    string
	RefDate    string
	DateFrom   string // event
	DateTo     string
	PlaceID    int64
	PlaceName  string
	EntityType string // filled for the JSON-LD export
}

// EvidenceInput is what the annotate form sends besides the annotation.
// Entity names are looked up by name or alias; a name not known yet is
// added when its type is given (EntityType; places are always places).
type EvidenceInput struct {
	Kind          string
	Entity        string // entity: the entity mentioned
	EntityType    string
	Speaker       string // quote
	SpeakerType   string
	Low, High     string // figure
	Unit          string
	Counted       string
	RefDate       string
	Estimator     string
	EstimatorType string
	DateFrom      string // event
	DateTo        string
	Place         string
}

// ParseKind accepts the five kinds ("" is a comment).
func ParseKind(s string) (string, error) {
	switch s = strings.TrimSpace(s); s {
	case "", KindComment:
		return KindComment, nil
	case KindEntity, KindQuote, KindFigure, KindEvent:
		return s, nil
	}
	return "", Errorf(EINVALID, "%q is not a kind of annotation: choose comment, entity, quote, figure or event.", s)
}

// ParseEntityType accepts person, organization and place.
func ParseEntityType(s string) (string, error) {
	switch s = strings.TrimSpace(s); s {
	case EntityPerson, EntityOrganization, EntityPlace:
		return s, nil
	}
	return "", Errorf(EINVALID, "%q is not a type of entity: choose person, organization or place.", s)
}

var dateRE = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

// ParseEvidenceDate accepts YYYY, YYYY-MM or YYYY-MM-DD ("" when optional).
func ParseEvidenceDate(field, s string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return "", Errorf(EINVALID, "%s is required (YYYY, YYYY-MM or YYYY-MM-DD).", field)
		}
		return "", nil
	}
	ok := dateRE.MatchString(s)
	if ok {
		switch len(s) {
		case 7:
			_, err := time.Parse("2006-01", s)
			ok = err == nil
		case 10:
			_, err := time.Parse("2006-01-02", s)
			ok = err == nil
		}
	}
	if !ok {
		return "", Errorf(EINVALID, "%s %q is not a date: write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2004-07-27.", field, s)
	}
	return s, nil
}

// ParseFigure reads a number as people write it: "150,000", "7800", "3.5".
func ParseFigure(field, s string) (float64, error) {
	t := strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(s), ",", ""), " ", "")
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, Errorf(EINVALID, "%s %q is not a number: write digits, such as 150000 or 150,000.", field, strings.TrimSpace(s))
	}
	return f, nil
}

// checkFigureUnit checks a figure's values against its unit. A figure
// counts or measures something, so it is not negative, unless its unit
// says it is a change or a temperature (a "change", "growth", "difference",
// "net" or "balance", "points", degrees); a percentage (not a change) is
// from 0 to 100.
func checkFigureUnit(unit string, low, high float64) error {
	u := strings.ToLower(unit)
	signed := strings.ContainsAny(u, "°±") || containsWord(u, "change", "changes", "growth", "difference", "net", "balance", "points", "degrees", "celsius", "fahrenheit")
	percent := strings.Contains(u, "%") || containsWord(u, "percent", "per cent", "percentage")
	switch {
	case !signed && low < 0:
		return Errorf(EINVALID, "A figure in %s cannot be negative (%s): a count or a measure starts at 0. For a change, say so in the unit (e.g. “people, net change”).", unit, number.Format(low))
	case percent && !signed && high > 100:
		return Errorf(EINVALID, "A percentage is at most 100 (%s). For a change, say so in the unit (e.g. “percent change”).", number.Format(high))
	}
	return nil
}

// containsWord reports whether s holds one of the words (or phrases) whole.
func containsWord(s string, words ...string) bool {
	padded := " " + strings.Join(strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ") + " "
	for _, w := range words {
		if strings.Contains(padded, " "+w+" ") {
			return true
		}
	}
	return false
}

// evidenceDraft is an EvidenceInput checked on its own, before entity
// names are looked up.
type EvidenceDraft struct {
	Evidence
	Entity, EntityType string // the name to look up for EntityID, and a type to add it with
	Place              string
}

func PrepareEvidence(in EvidenceInput) (EvidenceDraft, error) {
	var d EvidenceDraft
	var err error
	if d.Kind, err = ParseKind(in.Kind); err != nil {
		return d, err
	}
	name := func(field, s string, required bool) (string, error) {
		n, err := CleanName(field, s, 0, MaxEntityNameLen)
		if err == nil && required && n == "" {
			err = Errorf(EINVALID, "%s is required.", field)
		}
		return n, err
	}
	switch d.Kind {
	case KindEntity:
		d.Entity, err = name("The entity's name", in.Entity, true)
		d.EntityType = in.EntityType
	case KindQuote:
		d.Entity, err = name("The speaker", in.Speaker, true)
		d.EntityType = in.SpeakerType
	case KindFigure:
		if d.Low, err = ParseFigure("The low value", in.Low); err != nil {
			return d, err
		}
		d.High = d.Low
		if strings.TrimSpace(in.High) != "" {
			if d.High, err = ParseFigure("The high value", in.High); err != nil {
				return d, err
			}
		}
		if d.Low > d.High {
			return d, Errorf(EINVALID, "The low value (%s) is greater than the high value (%s).", number.Format(d.Low), number.Format(d.High))
		}
		d.HasValue = true
		if d.Unit, err = CleanText("The unit", in.Unit, 1, MaxUnitLen, false); err != nil {
			return d, err
		}
		if err := checkFigureUnit(d.Unit, d.Low, d.High); err != nil {
			return d, err
		}
		if d.Counted, err = CleanText("What is counted", in.Counted, 1, MaxCountedLen, false); err != nil {
			return d, err
		}
		if d.RefDate, err = ParseEvidenceDate("The date the figure refers to", in.RefDate, false); err != nil {
			return d, err
		}
		d.Entity, err = name("Whose estimate", in.Estimator, false)
		d.EntityType = in.EstimatorType
	case KindEvent:
		if d.DateFrom, err = ParseEvidenceDate("The event's date", in.DateFrom, true); err != nil {
			return d, err
		}
		if d.DateTo, err = ParseEvidenceDate("The end of the event", in.DateTo, false); err != nil {
			return d, err
		}
		if d.DateTo != "" && d.DateTo < d.DateFrom {
			return d, Errorf(EINVALID, "The event ends (%s) before it starts (%s).", d.DateTo, d.DateFrom)
		}
		d.Place, err = name("The place", in.Place, false)
	}
	return d, err
}

// EvidenceItem is one visible annotation with its evidence, its article and
// the passage in context.
type EvidenceItem struct {
	Evidence
	AnnotationID   int64
	ArticleSlug    string
	ArticleTitle   string
	Publication    string
	Published      string // YYYY-MM-DD or ''
	Exact          string
	Prefix, Suffix string
	Start, End     int // in the current text
	Body           string
	AuthorName     string
	Tags           []string
}

// EvidenceFilter narrows evidence lists.
type EvidenceFilter struct {
	Kind     string // one kind, or "" for all
	EntityID int64  // refers to this entity (any role)
	Tag      string
}

// FigureGroup is every visible figure claimed for one thing counted (in
// one unit), in the order of the articles' dates.
type FigureGroup struct {
	Counted string
	Unit    string
	Figures []EvidenceItem
}

// Fields are the evidence as the formatter (db/evidence) takes it.
func (e Evidence) Fields() evidence.Fields {
	name := e.EntityName
	return evidence.Fields{Kind: e.Kind, Entity: name, HasValue: e.HasValue, Low: e.Low, High: e.High, Unit: e.Unit,
		Counted: e.Counted, RefDate: e.RefDate, DateFrom: e.DateFrom, DateTo: e.DateTo, Place: e.PlaceName}
}
