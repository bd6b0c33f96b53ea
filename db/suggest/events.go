package suggest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Dated events: years ("in 1999", "1997 and 1998", "the 1950-53 war"),
// decades ("the early 1990s"), months and days ("on June 26", "in
// mid-March", "10 April, 2005"), weekdays ("on Tuesday") and relative
// dates ("last month", "this week", "in the past five years"), resolved
// against the publication date when they need it. Datelines, bylines and
// copyright lines (lines without a full stop, or starting "Copyright")
// date the article, not an event, and are left out.

// pubDate is the article's date and how much of it is known.
type pubDate struct {
	t                time.Time
	hasMonth, hasDay bool
	ok               bool
}

func parsePub(s string) pubDate {
	s = strings.TrimSpace(s)
	for _, f := range []struct {
		layout     string
		month, day bool
	}{{"2006-01-02", true, true}, {"2006-01", true, false}, {"2006", false, false}} {
		if t, err := time.Parse(f.layout, s); err == nil && len(s) == len(f.layout) {
			return pubDate{t: t, hasMonth: f.month, hasDay: f.day, ok: true}
		}
	}
	return pubDate{}
}

func ymd(t time.Time) string { return t.Format("2006-01-02") }
func ym(t time.Time) string  { return t.Format("2006-01") }
func yr(y int) string        { return fmt.Sprintf("%04d", y) }

// eventLine: a line of prose (it has a full stop) that is not a copyright line.
func eventLine(d *doc, l line) bool {
	if len(l.toks) > 0 && strings.EqualFold(l.toks[0].text, "copyright") {
		return false
	}
	for _, t := range l.toks {
		if !t.word && !t.num && strings.ContainsAny(t.text, ".!?") {
			return true
		}
	}
	return false
}

func yearValue(t token) (int, bool) {
	if !t.num || len(t.text) != 4 {
		return 0, false
	}
	y, err := strconv.Atoi(t.text)
	return y, err == nil && y >= 1000 && y <= 2099
}

func dayValue(t token) (int, bool) {
	if !t.num || len(t.text) > 2 {
		return 0, false
	}
	n, err := strconv.Atoi(t.text)
	return n, err == nil && n >= 1 && n <= 31
}

// monthOf reads "June", "mid-March", "late-June" (with its part of the month).
func monthOf(t token) (int, string, bool) {
	if !t.word || !t.capitalized() && !strings.Contains(t.text, "-") {
		return 0, "", false
	}
	w := t.lw
	part := ""
	if p, rest, ok := strings.Cut(w, "-"); ok {
		part, w = p, rest
		if part != "early" && part != "mid" && part != "late" {
			return 0, "", false
		}
	}
	m, ok := monthNames[w]
	if !ok || len(w) < 3 || w == "mar" || w == "may" && part == "" && !t.capitalized() {
		return 0, "", false
	}
	return m, part, ok
}

// decadeOf reads "1990s", "1990's", "mid-1990s" (with its part).
func decadeOf(t token) (int, string, bool) {
	w := t.lw
	part := ""
	if p, rest, ok := strings.Cut(w, "-"); ok {
		part, w = p, rest
	}
	w = strings.TrimSuffix(strings.TrimSuffix(w, "s"), "'")
	w = strings.TrimSuffix(w, "’")
	if len(w) != 4 || w[3] != '0' {
		return 0, "", false
	}
	y, err := strconv.Atoi(w)
	if err != nil || y < 1000 || y > 2090 {
		return 0, "", false
	}
	if part != "" && part != "early" && part != "mid" && part != "late" {
		return 0, "", false
	}
	return y, part, strings.HasSuffix(t.lw, "s")
}

func decadeRange(y int, part string) (string, string) {
	switch part {
	case "early":
		return yr(y), yr(y + 3)
	case "mid":
		return yr(y + 4), yr(y + 6)
	case "late":
		return yr(y + 7), yr(y + 9)
	}
	return yr(y), yr(y + 9)
}

// numberWord reads "six" or "6" (a count of units).
func countOf(t token) (int, bool) {
	if v, ok := smallNumbers[t.lw]; ok {
		return int(v), true
	}
	if t.is("a", "an", "one") {
		return 1, true
	}
	if t.num {
		n, err := strconv.Atoi(t.text)
		return n, err == nil && n > 0 && n < 1000
	}
	return 0, false
}

func (d *doc) events() []Suggestion {
	pub := parsePub(d.opt.Published)
	var out []Suggestion
	for _, l := range d.lines {
		if !eventLine(d, l) {
			continue
		}
		toks := l.toks
		for i := 0; i < len(toks); {
			n, from, to := d.eventAt(toks, i, pub, func() bool { return future(toks, i) })
			if n == 0 {
				i++
				continue
			}
			// The preposition before the date is part of what is written.
			start := i
			for start > 0 && toks[start-1].word && (datePrepositions[toks[start-1].lower()] || toks[start-1].is("the", "a", "early", "mid", "late")) && start > i-3 {
				start--
			}
			s := d.suggestion(KindEvent, toks[start].start, toks[i+n-1].end)
			s.DateFrom, s.DateTo = from, to
			out = append(out, s)
			i += n
		}
	}
	return out
}

// eventAt reads a date starting at toks[i]: how many tokens it takes and
// its resolved dates (from "" when it cannot be resolved).
func (d *doc) eventAt(toks []token, i int, pub pubDate, ahead func() bool) (int, string, string) {
	at := func(k int) token {
		if i+k < len(toks) && i+k >= 0 {
			return toks[i+k]
		}
		return token{}
	}
	t := at(0)
	prev := at(-1)
	// Relative: last/this/next week, month, year; yesterday, today.
	if t.word {
		switch w := t.lw; w {
		case "last", "this", "next":
			u := at(1).lw
			if u != "week" && u != "month" && u != "year" {
				break
			}
			// "the last week" after "within": a window, below.
			if w == "last" && prev.is("the") {
				break
			}
			step := map[string]int{"last": -1, "this": 0, "next": 1}[w]
			from, to := relativeUnit(pub, u, step)
			return 2, from, to
		case "yesterday", "today", "tomorrow":
			if !pub.hasDay {
				return 1, "", ""
			}
			off := map[string]int{"yesterday": -1, "today": 0, "tomorrow": 1}[w]
			return 1, ymd(pub.t.AddDate(0, 0, off)), ""
		case "within", "over", "in", "during":
			// within/over/in the last/past [N] weeks/months/years
			if !at(1).is("the") || !at(2).is("last", "past") {
				break
			}
			k, count := 3, 1
			if c, ok := countOf(at(3)); ok && !at(3).is("a", "an") {
				k, count = 4, c
			}
			u := strings.TrimSuffix(at(k).lw, "s")
			if u != "day" && u != "week" && u != "month" && u != "year" {
				break
			}
			if !pub.ok {
				return k + 1, "", ""
			}
			switch u {
			case "year":
				return k + 1, yr(pub.t.Year() - count), yr(pub.t.Year())
			case "month":
				if !pub.hasMonth {
					return k + 1, "", ""
				}
				return k + 1, ym(pub.t.AddDate(0, -count, 0)), ym(pub.t)
			default:
				if !pub.hasDay {
					return k + 1, "", ""
				}
				days := count
				if u == "week" {
					days = 7 * count
				}
				return k + 1, ymd(pub.t.AddDate(0, 0, -days)), ymd(pub.t)
			}
		}
		// N years ago
		if c, ok := countOf(t); ok && at(2).is("ago") {
			u := strings.TrimSuffix(at(1).lw, "s")
			if pub.ok && u == "year" {
				return 3, yr(pub.t.Year() - c), ""
			}
			if pub.hasMonth && u == "month" {
				return 3, ym(pub.t.AddDate(0, -c, 0)), ""
			}
		}
		// Weekdays: on Tuesday, last Tuesday.
		if wd, ok := dayNames[t.lw]; ok && t.capitalized() {
			if at(1).text == "," {
				if _, _, ok := monthOf(at(2)); ok {
					return 0, "", "" // a dateline's weekday: the date follows
				}
				if _, ok := dayValue(at(2)); ok {
					return 0, "", ""
				}
			}
			if !pub.hasDay {
				return 1, "", ""
			}
			back := (int(pub.t.Weekday()) - wd + 7) % 7
			switch {
			case prev.is("last") && back == 0:
				back = 7
			case prev.is("next") || !prev.is("last") && ahead():
				fwd := (wd - int(pub.t.Weekday()) + 7) % 7
				if fwd == 0 {
					fwd = 7
				}
				return 1, ymd(pub.t.AddDate(0, 0, fwd)), ""
			}
			return 1, ymd(pub.t.AddDate(0, 0, -back)), ""
		}
	}
	// Decades: the 1990s, the early 1990s, mid-1990s.
	if y, part, ok := decadeOf(t); ok {
		if part == "" && prev.is("early", "mid", "late") {
			part = prev.lw
		}
		from, to := decadeRange(y, part)
		return 1, from, to
	}
	// A day and month (two tokens), then perhaps ", YYYY".
	dated := func(m, day int) (int, string, string) {
		k := 2
		if at(k).text == "," {
			k++
		}
		if y, ok := yearValue(at(k)); ok {
			return k + 1, fmt.Sprintf("%04d-%02d-%02d", y, m, day), ""
		}
		return 2, d.inferYear(pub, m, day, ahead()), ""
	}
	// Day Month [Year]: 10 April, 2005.
	if day, ok := dayValue(t); ok {
		if m, _, ok := monthOf(at(1)); ok {
			return dated(m, day)
		}
	}
	// Month [Day][,] [Year]: June 26, July 9, 2001, January 2000, mid-March.
	if m, _, ok := monthOf(t); ok {
		// "May" is a month only with a date word around it.
		if strings.EqualFold(t.text, "may") {
			_, dayNext := dayValue(at(1))
			_, yearNext := yearValue(at(1))
			if !(dayNext || yearNext || prev.word && (datePrepositions[prev.lower()] || prev.is("last", "next", "this", "early", "mid", "late"))) {
				return 0, "", ""
			}
		}
		if day, ok := dayValue(at(1)); ok {
			return dated(m, day)
		}
		if y, ok := yearValue(at(1)); ok {
			return 2, fmt.Sprintf("%04d-%02d", y, m), ""
		}
		return 1, d.inferYear(pub, m, 0, ahead()), ""
	}
	// Years: 1999, 1997 and 1998, 1950-53, ISO dates.
	if y, ok := yearValue(t); ok {
		if at(1).text == "-" || at(1).text == "–" {
			if n := at(2); n.num && n.start == at(1).end && at(1).start == t.end {
				if len(n.text) == 2 {
					// 2002-05-29 is a date; 1950-53 a period.
					if mo, err := strconv.Atoi(n.text); err == nil && at(3).text == "-" {
						if dd, ok := dayValue(at(4)); ok && mo >= 1 && mo <= 12 {
							return 5, fmt.Sprintf("%04d-%02d-%02d", y, mo, dd), ""
						}
					}
					e, _ := strconv.Atoi(fmt.Sprintf("%d%s", y/100, n.text))
					if e > y {
						return 3, yr(y), yr(e)
					}
				}
				if e, ok := yearValue(n); ok && e > y {
					return 3, yr(y), yr(e)
				}
			}
		}
		if at(1).is("and", "to", "through", "until") {
			if e, ok := yearValue(at(2)); ok && e > y {
				return 3, yr(y), yr(e)
			}
		}
		// A year counted ("2000 refugees") is a figure, not a date.
		if n := at(1); n.word && (peopleNouns[n.lower()] || n.is("percent", "per")) {
			return 0, "", ""
		}
		return 1, yr(y), ""
	}
	return 0, "", ""
}

// inferYear gives a month (and day) without a year the latest year that
// puts it on or before the publication date, or with ahead (the sentence
// speaks of the future) the earliest on or after it.
func (d *doc) inferYear(pub pubDate, m, day int, ahead bool) string {
	if !pub.hasMonth {
		return ""
	}
	y := pub.t.Year()
	after := m > int(pub.t.Month()) || m == int(pub.t.Month()) && pub.hasDay && day > pub.t.Day()
	before := m < int(pub.t.Month()) || m == int(pub.t.Month()) && pub.hasDay && day > 0 && day < pub.t.Day()
	switch {
	case !ahead && after:
		y--
	case ahead && before:
		y++
	}
	if day > 0 {
		return fmt.Sprintf("%04d-%02d-%02d", y, m, day)
	}
	return fmt.Sprintf("%04d-%02d", y, m)
}

// relativeUnit resolves last/this/next week, month or year.
func relativeUnit(pub pubDate, unit string, step int) (string, string) {
	switch unit {
	case "year":
		if !pub.ok {
			return "", ""
		}
		return yr(pub.t.Year() + step), ""
	case "month":
		if !pub.hasMonth {
			return "", ""
		}
		first := time.Date(pub.t.Year(), pub.t.Month(), 1, 0, 0, 0, 0, time.UTC)
		return ym(first.AddDate(0, step, 0)), ""
	case "week":
		if !pub.hasDay {
			return "", ""
		}
		// Weeks run Monday to Sunday.
		monday := pub.t.AddDate(0, 0, -((int(pub.t.Weekday())+6)%7)).AddDate(0, 0, 7*step)
		return ymd(monday), ymd(monday.AddDate(0, 0, 6))
	}
	return "", ""
}

// future reports whether the sentence holding toks[i] speaks of the future
// before it ("work will begin in January").
func future(toks []token, i int) bool {
	for k := i - 1; k >= 0 && k > i-maxSentence; k-- {
		t := toks[k]
		if !t.word && !t.num && strings.ContainsAny(t.text, ".!?") {
			return false
		}
		if t.word && futureWords[t.lw] {
			return true
		}
	}
	return false
}
