package views

import (
	"math"
	"slices"

	"gloss/db/evidence"
	"gloss/db/number"
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
	return "/articles/" + r.ArticleSlug + "?at=" + itoa(r.Start) + "-" + itoa(r.End) + "#found"
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

// FigureChart is one group of figures drawn on a shared axis.
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
	Width   int
	Height  int
	AxisY   int
	PlotX0  int
	PlotX1  int
}

// FigureRow is one claim: its bar and label.
type FigureRow struct {
	Ref       EvidenceRef
	Low, High float64
	LowText   string
	HighText  string
	LabelY    int
	BarY      int
	X1, X2    int // bar ends; a single value gets a minimum width
	Single    bool
}

// ChartTick is one mark on the axis.
type ChartTick struct {
	X     int
	Label string
}

// Chart geometry, in SVG user units.
const (
	chartWidth  = 720
	chartLeft   = 16
	chartRight  = 680
	chartRowH   = 40
	chartTop    = 8
	chartAxisH  = 36
	minBarWidth = 6
)

// LayoutFigureChart places each figure's bar on one axis shared by the
// group: linear from zero, or logarithmic when the largest high is more
// than a hundred times the smallest positive low.
func LayoutFigureChart(c FigureChart) FigureChart {
	lo, hi := math.Inf(1), 0.0
	for _, r := range c.Rows {
		if r.Low > 0 {
			lo = math.Min(lo, r.Low)
		}
		hi = math.Max(hi, r.High)
	}
	c.Width = chartWidth
	c.PlotX0, c.PlotX1 = chartLeft, chartRight
	c.Log = hi > 0 && !math.IsInf(lo, 1) && hi/lo > 100
	var scale func(float64) int
	if c.Log {
		a := math.Floor(math.Log10(lo))
		b := math.Ceil(math.Log10(hi))
		if b == a {
			b++
		}
		scale = func(v float64) int {
			if v <= 0 {
				return chartLeft
			}
			return chartLeft + int(math.Round((math.Log10(v)-a)/(b-a)*(chartRight-chartLeft)))
		}
		for e := a; e <= b; e++ {
			v := math.Pow(10, e)
			c.Ticks = append(c.Ticks, ChartTick{X: scale(v), Label: number.Format(v)})
		}
	} else {
		top, step := niceAxis(hi)
		scale = func(v float64) int {
			return chartLeft + int(math.Round(v/top*(chartRight-chartLeft)))
		}
		for v := 0.0; v <= top+step/2; v += step {
			c.Ticks = append(c.Ticks, ChartTick{X: scale(v), Label: number.Format(v)})
		}
	}
	for i := range c.Rows {
		r := &c.Rows[i]
		y := chartTop + i*chartRowH
		r.LabelY, r.BarY = y+14, y+20
		r.X1, r.X2 = scale(r.Low), scale(r.High)
		r.Single = r.Low == r.High
		if r.X2-r.X1 < minBarWidth {
			r.X1 = max(chartLeft, r.X1-minBarWidth/2)
			r.X2 = r.X1 + minBarWidth
		}
	}
	c.Total, c.First = len(c.Rows), 1
	c.AxisY = chartTop + len(c.Rows)*chartRowH + 4
	c.Height = c.AxisY + chartAxisH
	return c
}

// Window keeps claims from..to-1 of a laid-out chart on the group's axis,
// so that pages of one group compare with each other.
func (c FigureChart) Window(from, to int) FigureChart {
	from, to = max(0, min(from, len(c.Rows))), max(0, min(to, len(c.Rows)))
	rows := slices.Clone(c.Rows[from:to])
	for i := range rows {
		rows[i].LabelY -= from * chartRowH
		rows[i].BarY -= from * chartRowH
	}
	c.Rows, c.First = rows, from+1
	c.AxisY = chartTop + len(rows)*chartRowH + 4
	c.Height = c.AxisY + chartAxisH
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

func axisNote(log bool) string {
	if log {
		return ", on a logarithmic axis (the estimates differ a hundredfold or more)"
	}
	return ", on a linear axis from zero"
}

// rowLabel is the text above a bar: value, source and date, estimator.
func rowLabel(r FigureRow) string {
	s := r.LowText
	if !r.Single {
		s += "–" + r.HighText
	}
	s += " · " + r.Ref.Source()
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
