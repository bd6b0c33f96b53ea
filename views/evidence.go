package views

import (
	"math"
	"slices"
	"strconv"

	"gloss/db/evidence"
	"gloss/db/number"
	"gloss/handlers/paths"
)

// EvidenceRef is one annotation with a kind, as the evidence pages show it:
// the passage in context, its article and date, and the structured fields.
type EvidenceRef struct {
	AnnotationID int64
	Kind         string // entity, quote, figure, event
	ArticleSlug  string
	ArticleTitle string
	Publication  string
	Published    string // YYYY-MM-DD or ""
	Prefix       string
	Exact        string
	Suffix       string
	Start, End   int
	Body         string // the annotator's comment, as typed
	AuthorName   string
	EntityID     int64 // mentioned, speaker or estimator
	EntityName   string
	PlaceID      int64
	PlaceName    string
	Value        string // figure: "50,000 to 300,000 people"
	Counted      string
	RefDate      string
	When         string // event: "2004-07-27 to 2004-07-28"
}

// Link is the passage in the reader.
func (r EvidenceRef) Link() string {
	return paths.ArticleAt(r.ArticleSlug, r.Start, r.End)
}

// Source is the article's publication and date, for labels.
func (r EvidenceRef) Source() string {
	s := r.Publication
	if s == "" {
		s = r.ArticleTitle
	}
	if r.Published != "" {
		s += ", " + r.Published
	}
	return s
}

// KindLabel names a kind for people (the formatter's, db/evidence).
func KindLabel(kind string) string { return evidence.Label(kind) }

// EntityRow is one entity in the Voices index.
type EntityRow struct {
	ID       int64
	Name     string
	Type     string
	Aliases  []string
	Mentions int
}

// VoicesPage is the index of entities.
type VoicesPage struct {
	Entities []EntityRow
	Collect  CollectForm
}

// VoicePage is one entity with everything said by or about it.
type VoicePage struct {
	Entity       EntityRow
	Items        []EvidenceRef
	CanCurate    bool
	MergeChoices []Option
	Form         Form
	Collect      CollectForm
}

// CollectForm offers to add the current view to a collection.
type CollectForm struct {
	View        string // the path of the view, e.g. /figures
	Title       string
	Collections []Option
}

// FiguresPage compares figures grouped by what they count.
type FiguresPage struct {
	Charts  []FigureChart
	Collect CollectForm
	// One group's page (/figures?counted=...): its heading and pager.
	Group  string
	Pager  Pager
	CSVURL string
}

// FigureChart is one group of figures drawn on a shared axis. Each claim
// is a row: its label in the page's own text above a strip drawn in SVG
// whose x positions are percentages of the chart's width, so the strip
// stretches to any screen while the labels keep their size and wrap.
// Gridlines are drawn only in the strips, never across a label.
type FigureChart struct {
	ID      string // for aria-labelledby
	Counted string
	Unit    string
	Log     bool
	Rows    []FigureRow // those shown (Window)
	Total   int         // claims in the group
	First   int         // the number of the first shown, from 1
	MoreURL string      // the group's own pages, when only some are shown here
	Ticks   []ChartTick
}

// FigureRow is one claim: its label, and its bar (a range) or point (one
// value) on the axis.
type FigureRow struct {
	Ref       EvidenceRef
	Low, High float64
	LowText   string
	HighText  string
	X1, X2    float64 // bar ends (X1 alone for a point), percent of the width
	Single    bool
}

// ChartTick is one mark on the axis.
type ChartTick struct {
	X      float64 // percent of the width
	Label  string
	Anchor string // start, middle or end: the first and last labels stay inside
	Odd    bool   // every other label of a crowded axis, left out on narrow screens
}

// Chart geometry: the plot spans chartLeft% to chartRight% of the width, so
// a point at either end is drawn whole; strips and the axis are in pixels.
const (
	chartLeft   = 1.5
	chartRight  = 98.5
	stripHeight = 24
	axisHeight  = 30
	minBarWidth = 0.6 // percent: a narrow range still shows as a bar
)

// pct writes a position for an SVG attribute: "12.25%".
func pct(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) + "%" }

// LayoutFigureChart places each figure on one axis shared by the group:
// linear from zero, or logarithmic when the largest high is more than a
// hundred times the smallest positive low.
func LayoutFigureChart(c FigureChart) FigureChart {
	lo, hi := math.Inf(1), 0.0
	for _, r := range c.Rows {
		if r.Low > 0 {
			lo = math.Min(lo, r.Low)
		}
		hi = math.Max(hi, r.High)
	}
	c.Log = hi > 0 && !math.IsInf(lo, 1) && hi/lo > 100
	var scale func(float64) float64
	if c.Log {
		a := math.Floor(math.Log10(lo))
		b := math.Ceil(math.Log10(hi))
		if b == a {
			b++
		}
		scale = func(v float64) float64 {
			if v <= 0 {
				return chartLeft
			}
			return chartLeft + (math.Log10(v)-a)/(b-a)*(chartRight-chartLeft)
		}
		for e := a; e <= b; e++ {
			v := math.Pow(10, e)
			c.Ticks = append(c.Ticks, ChartTick{X: scale(v), Label: number.Format(v)})
		}
	} else {
		top, step := niceAxis(hi)
		scale = func(v float64) float64 {
			return chartLeft + v/top*(chartRight-chartLeft)
		}
		for v := 0.0; v <= top+step/2; v += step {
			c.Ticks = append(c.Ticks, ChartTick{X: scale(v), Label: number.Format(v)})
		}
	}
	for i := range c.Ticks {
		// Six or more labels crowd a phone's width: every other one goes.
		c.Ticks[i].Anchor, c.Ticks[i].Odd = "middle", len(c.Ticks) > 5 && i%2 == 1
	}
	if n := len(c.Ticks); n > 0 {
		c.Ticks[0].Anchor, c.Ticks[n-1].Anchor = "start", "end"
		// The last label always shows: drop the one before it instead.
		if c.Ticks[n-1].Odd {
			c.Ticks[n-1].Odd = false
			if n > 2 {
				c.Ticks[n-2].Odd = true
			}
		}
	}
	for i := range c.Rows {
		r := &c.Rows[i]
		r.X1, r.X2 = scale(r.Low), scale(r.High)
		r.Single = r.Low == r.High
		if !r.Single && r.X2-r.X1 < minBarWidth {
			r.X2 = r.X1 + minBarWidth
		}
	}
	c.Total, c.First = len(c.Rows), 1
	return c
}

// Window keeps claims from..to-1 of a laid-out chart on the group's axis,
// so that pages of one group compare with each other.
func (c FigureChart) Window(from, to int) FigureChart {
	from, to = max(0, min(from, len(c.Rows))), max(0, min(to, len(c.Rows)))
	c.Rows, c.First = slices.Clone(c.Rows[from:to]), from+1
	return c
}

// Shown says which claims a windowed chart shows: "" when all of them.
func (c FigureChart) Shown() string {
	if r := c.shownRange(); r != "" {
		return "Estimates " + r + ", by article date."
	}
	return ""
}

// shownRange is "51–100 of 712" for a windowed chart, "" for a whole one.
func (c FigureChart) shownRange() string {
	if len(c.Rows) == c.Total {
		return ""
	}
	return number.Int(c.First) + "–" + number.Int(c.First+len(c.Rows)-1) + " of " + number.Int(c.Total)
}

// niceAxis picks the axis end (at least max) and a tick step of 1, 2 or 5
// times a power of ten, with about five ticks.
func niceAxis(maxV float64) (top, step float64) {
	if maxV <= 0 {
		return 1, 0.2
	}
	raw := maxV / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		step = m * mag
		if step >= raw {
			break
		}
	}
	return math.Ceil(maxV/step) * step, step
}

// TimelinePage shows articles by publication date and events by event
// date on one line.
type TimelinePage struct {
	Entries  []TimelineEntry // this page's
	Total    int             // entries on every page
	First    int             // the number of this page's first entry
	Pager    Pager
	Entity   string // filter values as chosen
	Tag      string
	Entities []Option
	Tags     []string
	CSVURL   string
	Collect  CollectForm
}

// TimelineEntry is an article or an event.
type TimelineEntry struct {
	Date    string
	IsEvent bool
	Title   string
	Link    string
	Detail  string
}

// entityRole names what the entity is to the passage.
func entityRole(kind string) string {
	switch kind {
	case "quote":
		return "Speaker"
	case "figure":
		return "Whose estimate"
	}
	return "Mentions"
}

func scaleName(log bool) string {
	if log {
		return "log"
	}
	return "linear"
}

func axisNote(log bool) string {
	if log {
		return ", on a logarithmic axis (the estimates differ a hundredfold or more)"
	}
	return ", on a linear axis from zero"
}

// rowValue is a claim's value above its bar: "150,000–300,000".
func rowValue(r FigureRow) string {
	if r.Single {
		return r.LowText
	}
	return r.LowText + "–" + r.HighText
}

// rowSource is the rest of the label: source and date, whose estimate.
func rowSource(r FigureRow) string {
	s := r.Ref.Source()
	if r.Ref.EntityName != "" {
		s += " · " + r.Ref.EntityName
	}
	return s
}

func entryKind(event bool) string {
	if event {
		return "event"
	}
	return "article"
}

// chartShownNote adds to a windowed chart's title which estimates it shows.
func chartShownNote(c FigureChart) string {
	if r := c.shownRange(); r != "" {
		return " (" + r + ")"
	}
	return ""
}
